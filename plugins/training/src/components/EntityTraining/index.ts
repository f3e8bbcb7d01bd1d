export { EntityTrainingContent } from './EntityTrainingContent';
