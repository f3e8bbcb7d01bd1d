import { HumanDuration } from '@backstage/types';

export interface Config {
  /**
   * The shared Careplane cluster plugin (`@careplane/plugin-clusters-backend`).
   */
  clusters?: {
    /**
     * Kubernetes API servers to use. Default: none.
     */
    locations?: Array<{
      /**
       * Unique cluster name (a DNS label); also the name of the catalog `Resource` entity.
       */
      name: string;
      /**
       * Display title. Default: the name.
       */
      title?: string;
      /**
       * API server URL, e.g. `https://api.cluster.example:6443`. Required for
       * `serviceAccountToken` auth; `kubeconfig` and `inCluster` auth carry their own.
       * Plain `http://` is refused when NODE_ENV=production unless `clusters.allowInsecure`.
       */
      url?: string;
      /**
       * How to authenticate to the API server.
       */
      auth:
        | {
            /** A service-account (bearer) token. */
            type: 'serviceAccountToken';
            /**
             * The bearer token.
             * @visibility secret
             */
            token: string;
          }
        | {
            /** A kubeconfig file on the backend host. */
            type: 'kubeconfig';
            /** Path of the kubeconfig file. */
            path: string;
            /** Context to use. Default: the file's current context. */
            context?: string;
          }
        | {
            /** The pod's own service account (when the backend runs in the cluster). */
            type: 'inCluster';
          };
      /**
       * Base64-encoded PEM of the API server's CA. Default: the system trust store.
       * @visibility secret
       */
      caData?: string;
      /**
       * Path of a PEM file with the API server's CA. Default: none.
       */
      caFile?: string;
      /**
       * Skip TLS verification. Default: false. Refused when NODE_ENV=production unless
       * `clusters.allowInsecure` is true.
       */
      skipTLSVerify?: boolean;
      /**
       * Free-form labels; `environment`, `region`, `phi` ("true"/"false") and `gpu` are lifted into
       * the cluster DTO. Default: none.
       */
      labels?: { [key: string]: string | number | boolean };
      /**
       * Per-cluster timeouts. Defaults: `clusters.timeouts`.
       */
      timeouts?: {
        /** Timeout of each non-watch request. Default: 5 seconds. */
        request?: HumanDuration | string;
        /** How long a read waits for a cold informer's first LIST. Default: 5 seconds. */
        firstSync?: HumanDuration | string;
        /** A watch that sends nothing (not even bookmarks) for this long is restarted. Default: 90 seconds. */
        watchIdle?: HumanDuration | string;
      };
      /**
       * The cluster's Prometheus-compatible metrics source, for `POST /v1/metrics/query` and
       * `ClustersService.queryMetrics`. Default: none (the cluster answers `not-configured`).
       * Requests time out after the cluster's `timeouts.request`.
       */
      metrics?: {
        /**
         * Base URL of the Prometheus HTTP API, e.g. `https://prometheus.example:9090` (the plugin
         * appends `/api/v1/query` and `/api/v1/query_range`). No credentials in it. Plain
         * `http://` is refused when NODE_ENV=production unless `clusters.allowInsecure`.
         */
        url: string;
        /**
         * How to authenticate to the source. Default: none.
         */
        auth?: {
          /** A bearer token sent as `Authorization: Bearer <token>`. */
          type: 'bearerToken';
          /**
           * The bearer token.
           * @visibility secret
           */
          token: string;
        };
        /**
         * For a source that serves several clusters (Thanos, Mimir, the dev simulator): the label
         * that names the cluster; only series whose label equals this cluster's name are its
         * answer (keep the label in aggregations, e.g. `sum by (cluster, service)`).
         * Default: none (every series of the source is the cluster's).
         */
        clusterLabel?: string;
      };
    }>;
    /**
     * Default timeouts for every location (see `locations[].timeouts`).
     */
    timeouts?: {
      /** Default: 5 seconds. */
      request?: HumanDuration | string;
      /** Default: 5 seconds. */
      firstSync?: HumanDuration | string;
      /** Default: 90 seconds. */
      watchIdle?: HumanDuration | string;
    };
    /**
     * Escape hatch: allow plain http API server URLs and `skipTLSVerify` in production, and
     * http URLs from cluster suppliers. Default: false. Leave it off for PHI clusters.
     */
    allowInsecure?: boolean;
    /**
     * SSRF guard for cluster URLs that do not come from this config (catalog, suppliers):
     * loopback, link-local and private addresses are refused unless allow-listed here.
     */
    ssrf?: {
      /** Host names that may resolve to private addresses. Default: none. */
      allowedHosts?: string[];
      /** CIDRs that are allowed although private, e.g. `10.20.0.0/16`. Default: none. */
      allowedCidrs?: string[];
    };
    /**
     * Informer cache tuning.
     */
    cache?: {
      /** Stop an informer nobody read or subscribed to for this long. Default: 15 minutes. */
      idleTimeout?: HumanDuration | string;
      /** Re-check an absent CRD this often while it is asked for. Default: 5 minutes. */
      crdRecheckInterval?: HumanDuration | string;
      /** Cache an entity's selector (from its annotations) this long. Default: 30 seconds. */
      entityTtl?: HumanDuration | string;
      /**
       * Start the informers of the kinds entity pages show (the workload kinds) on every
       * cluster when the backend starts, so the first page view does not wait for the first
       * sync. Default: true.
       */
      warmOnStart?: boolean;
      /**
       * First sync of an informer by streaming list (WatchList: a watch with
       * `sendInitialEvents=true`, beta and on by default in Kubernetes 1.32): objects arrive one
       * by one instead of in pages of 500. A server that refuses it (400 / 422) gets paged
       * LISTs. Default: true.
       */
      watchList?: boolean;
    };
    /**
     * Retries of idempotent requests (network errors, timeouts, 5xx) and of throttled (429)
     * requests; Retry-After is honoured up to `maxDelay`.
     */
    retry?: {
      /** Default: 3. */
      maxRetries?: number;
      /** First backoff, doubled per attempt, with jitter. Default: 200 ms. */
      baseDelay?: HumanDuration | string;
      /** Longest wait between attempts. Default: 10 seconds. */
      maxDelay?: HumanDuration | string;
    };
    /**
     * Per-cluster circuit breaker.
     */
    circuitBreaker?: {
      /** Consecutive failures that open the circuit. Default: 5. */
      failureThreshold?: number;
      /** How long the circuit stays open before one probe. Default: 30 seconds. */
      cooldown?: HumanDuration | string;
    };
    /**
     * The SSE stream (`GET /api/clusters/v1/stream`).
     */
    stream?: {
      /** Interval of heartbeat comments. Default: 15 seconds. */
      heartbeatInterval?: HumanDuration | string;
    };
    /**
     * The periodic per-cluster probe (`GET /version` and one `GET /apis`, never a LIST): keeps
     * each cluster's health, Kubernetes version and installed optional kinds current in
     * `GET /api/clusters/v1/clusters`. It runs when the plugin starts and then at this interval.
     */
    probe?: {
      /** Time between probes of each cluster (at least 1 second). Default: 60 seconds. */
      interval?: HumanDuration | string;
    };
    /**
     * Who may tie catalog entities to Kubernetes objects (catalog module `kubernetes-claims`,
     * `catalogModuleKubernetesClaims`). An entity's `backstage.io/kubernetes-id` may be claimed by
     * one entity only, and a `backstage.io/kubernetes-label-selector` must pin
     * `backstage.io/kubernetes-id=<the entity's own id>`; entities that break either rule fail
     * processing, unless their `backstage.io/managed-by-origin-location` is a location the platform
     * owns: one of `catalog.locations` or of `trustedLocations` below.
     */
    claims?: {
      /**
       * More locations whose entities may claim any id and use any selector, e.g. a platform
       * repository registered by URL or an entity provider's origin. `file` targets are compared
       * as absolute paths, resolved against the backend's working directory. Default: none.
       */
      trustedLocations?: Array<{
        /** Location type, e.g. `url` or `file`. */
        type: string;
        /** Location target, as in the entity's `backstage.io/managed-by-origin-location`. */
        target: string;
      }>;
    };
    /**
     * Where service owners may write (README "Write scope"). An entity writes only objects
     * labelled `backstage.io/kubernetes-id=<its id>`, in namespaces whose Namespace object carries
     * the same label (the platform's grant), of the kinds below. Everything else — cluster-scoped
     * kinds, `kube-*` namespaces, other kinds — needs the `clusters.scope.override` permission
     * (platform admins).
     */
    writeScope?: {
      /**
       * Kinds service owners may write in their namespaces. Default: Deployment, StatefulSet, Pod,
       * Service, ServiceAccount, ConfigMap, PersistentVolumeClaim, HorizontalPodAutoscaler,
       * PodDisruptionBudget, NetworkPolicy, Ingress, Job, CronJob, Rollout, AnalysisRun, Canary,
       * TrainJob, PyTorchJob, PeerAuthentication.
       */
      ownerKinds?: string[];
      /** Set to true to allow Secrets or RBAC kinds in `ownerKinds` (refused otherwise). */
      allowSecretsAndRbac?: boolean;
      /** Namespaces only admins write to, besides every `kube-*` namespace. Default: none. */
      systemNamespaces?: string[];
      /** How the gateway labels a namespace it creates for an entity (`POST /v1/namespaces`). */
      newNamespace?: {
        /** Labels every new namespace gets. Default: Pod Security `restricted` (enforce, audit, warn). */
        labels?: { [key: string]: string };
        /** Annotations every new namespace gets. Default: none. */
        annotations?: { [key: string]: string };
        /** Label keys a caller may add. Default: `istio-injection`, `istio.io/rev`. */
        allowedLabels?: string[];
        /** Annotation keys a caller may add. Default: `linkerd.io/inject`, `config.linkerd.io/default-inbound-policy`. */
        allowedAnnotations?: string[];
      };
    };
    /**
     * Per-person limits (per backend instance), answered with HTTP 429 when exceeded.
     */
    rateLimit?: {
      /** Writes (apply, patch, delete, new namespace) per person per minute; 0 for none. Default: 60. */
      writesPerMinute?: number;
      /** Pod-log reads per person per minute; 0 for none. Default: 120. */
      logReadsPerMinute?: number;
    };
  };
}
