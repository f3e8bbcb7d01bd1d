export { EntityRolloutsContent } from './EntityRolloutsContent';
export { RolloutsOverviewCard } from './RolloutsOverviewCard';
