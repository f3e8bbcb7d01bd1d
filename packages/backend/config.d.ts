export interface Config {
  backend?: {
    /**
     * Settings of the Careplane backend itself (packages/backend), as opposed to its plugins.
     */
    careplane?: {
      /**
       * Largest JSON request body (`application/json` and `application/*+json`) that any plugin
       * of the backend accepts, counted after decompression: a number of bytes or a size such as
       * '512kb' or '10mb' (1 kb = 1024 bytes, as body-parser reads it). Larger bodies are answered
       * with 413 before a plugin sees them; each plugin still applies its own, smaller limit.
       * Default: '10mb', the scaffolder's own limit for dry-run templates.
       */
      maxJsonBody?: string | number;
      /**
       * Deepest nesting of arrays and objects in a JSON request body. Deeper bodies are answered
       * with 400 ("Request body is nested deeper than 64 levels") before a plugin parses them.
       * Default: 64.
       */
      maxJsonDepth?: number;
    };
  };
}
