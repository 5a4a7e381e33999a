import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Temporal keeps a failure's message and stack trace as plain text in history unless the failure converter
 * moves them into a payload (`encodedAttributes`), which the payload codec then encrypts like any other.
 * Failure messages name URLs, inputs and Gong answers, so every gongflow process uses this converter: the
 * workers (activities, and inside the workflow sandbox through the bundle) and every client, so what one
 * writes the others read. The failure's type, retryability and details stay where Temporal expects them.
 *
 * Loaded by path (FAILURE_CONVERTER_PATH): the workflow bundle compiles it in, clients and workers require it.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
