/** What a Gong request needs from a connection. Secrets stay behind `authorization()`. */
export interface GongCredentials {
  connectionId: string;
  /** The company's API host, e.g. https://us-12345.api.gong.io (OAuth: api_base_url_for_customer). */
  baseUrl: string;
  /** Value of the Authorization header (`Basic ...` or `Bearer ...`); OAuth connections refresh here. */
  authorization(): Promise<string>;
}
