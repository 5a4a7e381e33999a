// `gongflow/client` inside this repository (the CLI, tests): the sources of the @gongflow/client package.
export * from './src/index';
