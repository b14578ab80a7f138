// The OpenAPI document of the public API, generated from the request/response schemas.
export { API_VERSION, buildOpenApiDocument, serializeOpenApiDocument } from "./document.js";
export { OPERATIONS } from "./operations.js";
