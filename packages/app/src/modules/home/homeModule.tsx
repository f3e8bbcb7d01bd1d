import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { MarkdownContent } from '@backstage/core-components';

// What the portal offers, in the words of the people who use it. Each line links to where the
// feature lives; features arrive with their plugins, so the list says which ones are here today.
const content = `
Careplane runs on Backstage and helps the teams that ship **HIPAA-regulated telehealth services on
Kubernetes** do it safely, from one place.

- **Find a service and see where it runs.** The [catalog](/catalog) holds every service, API, team
  and cluster of Northwind Health. A service's page shows its workloads on every cluster, live, and
  says plainly when a cluster cannot be reached.
- **Start a new telehealth service** from a [software template](/create) that is compliant from its
  first commit: probes, autoscaling, disruption budgets, default-deny network policy, mTLS,
  restricted pod security and audit labels.
- **See and steer rollouts** (rolling, canary, blue-green) and the **migration** of services from
  the legacy data centre to the cloud clusters, with every action permission-checked and audited.
- **Launch GPU training runs** on the research cluster and follow them truthfully: queued and why,
  running, GPU utilisation, cost.
- **Compliance scorecards** computed from the live state of each workload and mapped to HIPAA
  safeguards.

Who may do what: everyone can read; the team that owns a service can act on it; platform admins can
do everything. Every change to a cluster is recorded with the person who made it.
`;

const aboutWidget = HomePageWidgetBlueprint.make({
  name: 'careplane-about',
  params: {
    name: 'CareplaneAbout',
    title: 'Welcome to Careplane',
    description: 'What the Careplane portal offers',
    components: async () => ({
      Content: () => <MarkdownContent content={content} />,
    }),
  },
});

/** Careplane's home page widgets. */
export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [aboutWidget],
});
