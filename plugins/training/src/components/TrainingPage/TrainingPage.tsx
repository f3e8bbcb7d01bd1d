import { Route, Routes } from 'react-router-dom';
import { RunPage } from '../RunPage';
import { RunsPage } from './RunsPage';

/** `/training`: the runs, and `/training/runs/:id` for one run. */
export function TrainingPage() {
  return (
    <Routes>
      <Route path="/" element={<RunsPage />} />
      <Route path="/runs/:id" element={<RunPage />} />
    </Routes>
  );
}
