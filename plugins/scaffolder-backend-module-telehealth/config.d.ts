import { HumanDuration } from '@backstage/types';

export interface Config {
  scaffolder?: {
    /**
     * Settings of the Careplane `telehealth` scaffolder module
     * (@careplane/plugin-scaffolder-backend-module-telehealth).
     */
    telehealth?: {
      /**
       * Service mesh that provides mTLS between pods. `linkerd` annotates namespace and pods for
       * proxy injection with `all-authenticated` inbound policy; `istio` labels the namespace for
       * sidecar injection and renders a STRICT PeerAuthentication; `none` renders no mesh objects
       * (only for clusters that encrypt pod traffic otherwise). Default `linkerd`.
       */
      mesh?: 'linkerd' | 'istio' | 'none';
      /**
       * Namespace of the ingress gateway whose pods may reach services. Default `ingress-gateway`.
       */
      gatewayNamespace?: string;
      /**
       * Namespace of the mesh control plane that injected proxies must reach. Default `linkerd`
       * for linkerd, `istio-system` for istio.
       */
      meshNamespace?: string;
      /**
       * Image of the first deployment, pinned by digest, until the new service's own pipeline
       * builds one (a platform-maintained starter that answers /healthz and /readyz).
       * Default `ghcr.io/northwind-health/telehealth-starter@sha256:…` (see README).
       */
      starterImage?: string;
      /**
       * Kinds that are rendered into the repository but not applied, e.g. on a simulated cluster
       * that does not serve them. Default none. Every skipped object is named in the apply summary.
       */
      skipKinds?: string[];
      /** Where new service repositories are published. */
      publish?: {
        /**
         * `local` (development: a git repository on this machine, registered as a `file`
         * location), `github` or `gitlab`. Default `local`.
         */
        provider?: 'local' | 'github' | 'gitlab';
        /**
         * Folder of the local repositories, relative to the backend's working directory.
         * Default `.careplane/repos` under the current directory.
         */
        localDirectory?: string;
        /** Host of the SCM for `github` / `gitlab`, e.g. `github.com`. */
        host?: string;
        /** Organisation (GitHub) or group (GitLab) that owns new repositories. */
        owner?: string;
      };
      /**
       * How long `telehealth:catalog:register` waits for the new entity (with its owner) to
       * appear in the catalog. Default 2 minutes.
       */
      registerTimeout?: HumanDuration | string;
    };
  };
}
