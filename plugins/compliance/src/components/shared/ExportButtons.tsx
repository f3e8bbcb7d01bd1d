import { Button } from '@material-ui/core';
import GetAppIcon from '@material-ui/icons/GetApp';
import { useApi } from '@backstage/frontend-plugin-api';
import { useState } from 'react';
import { complianceApiRef } from '../../api';

type Query = {
  entityRef?: string;
  owner?: string;
  safeguard?: string;
  phiOnly?: boolean;
};

/** Evidence export as CSV or JSON (downloaded with the person's token; the export is audited). */
export function ExportButtons(props: { query: Query; label?: string }) {
  const api = useApi(complianceApiRef);
  const [error, setError] = useState<string>();
  const download = async (format: 'csv' | 'json') => {
    setError(undefined);
    try {
      const blob = await api.downloadExport({ ...props.query, format });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `compliance-evidence.${format}`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <span>
      <Button
        size="small"
        startIcon={<GetAppIcon />}
        onClick={() => download('csv')}
      >
        Export evidence (CSV)
      </Button>
      <Button
        size="small"
        startIcon={<GetAppIcon />}
        onClick={() => download('json')}
      >
        Export evidence (JSON)
      </Button>
      {error && <span role="alert">Export failed: {error}</span>}
    </span>
  );
}
