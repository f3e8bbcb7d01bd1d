export { TrainingPage } from './TrainingPage';
