/**
 * The one transport to the node: what a failure means (failures.ts), bounded retries with one
 * policy (retry.ts), sending a transaction and waiting for its receipt (send.ts), and plain HTTP
 * JSON-RPC for key-free tools (http.ts).
 */
export * from "./failures.js";
export * from "./http.js";
export * from "./retry.js";
export * from "./send.js";
