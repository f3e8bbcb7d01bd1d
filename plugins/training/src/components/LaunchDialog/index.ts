export { LaunchDialog } from './LaunchDialog';
