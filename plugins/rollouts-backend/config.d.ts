export interface Config {
  /** Configuration of the Careplane rollouts plugin (`@careplane/plugin-rollouts-backend`). */
  rollouts?: {
    /** Error-budget gate. */
    gate?: {
      /**
       * PromQL metric counting requests, with a `code` label (HTTP status). Default
       * `http_requests_total`.
       */
      requestsMetric?: string;
      /**
       * Label of that metric that carries the service, matched against the entity's
       * `backstage.io/kubernetes-id`. Default `service`.
       */
      serviceLabel?: string;
      /**
       * How the error ratio of a window is asked: `offset` (default) as the difference of the
       * counters now and `offset <window>` (one sample per series whatever the window, so 30 days
       * cost what 5 minutes cost; a counter reset inside the window makes the window "not
       * evaluated" when the difference turns negative, and undercounts otherwise), or `rate` as
       * `rate(...[window])` (reset-safe; heavy on 30-day windows without recording rules).
       */
      query?: 'offset' | 'rate';
    };
    /** Fleet "waiting for a human" query. */
    waiting?: {
      /** How long the map of Kubernetes ids to catalog entities (owners) is reused, in seconds. Default 60. */
      ownersTtlSeconds?: number;
    };
  };
}
