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
    };
    /** Fleet "waiting for a human" query. */
    waiting?: {
      /** How long the map of Kubernetes ids to catalog entities (owners) is reused, in seconds. Default 60. */
      ownersTtlSeconds?: number;
    };
  };
}
