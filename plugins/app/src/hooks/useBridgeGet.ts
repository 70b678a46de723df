import { useEffect, useState } from 'react';
import { lastValueFrom } from 'rxjs';
import { getBackendSrv, isFetchError } from '@grafana/runtime';

export type BridgeState<T> = { loading: true } | { loading: false; value: T } | { loading: false; error: string };

/** GET through the data proxy, narrowed; re-runs when the URL or params change, ignores stale answers. */
export function useBridgeGet<T>(
  url: string | undefined,
  params: Record<string, string>,
  narrow: (o: unknown) => T | false
): BridgeState<T> | undefined {
  const [state, setState] = useState<BridgeState<T>>();
  const paramsKey = JSON.stringify(params);

  useEffect(() => {
    if (!url) {
      setState(undefined);
      return;
    }
    let current = true;
    setState({ loading: true });
    lastValueFrom(getBackendSrv().fetch<unknown>({ url, method: 'GET', params: JSON.parse(paramsKey) }))
      .then((res) => {
        const value = narrow(res.data);
        if (current) {
          setState(
            value === false ? { loading: false, error: 'Unexpected answer from the bridge' } : { loading: false, value }
          );
        }
      })
      .catch((err: unknown) => {
        if (current) {
          setState({ loading: false, error: isFetchError(err) ? `Bridge answered ${err.status}` : String(err) });
        }
      });
    return () => {
      current = false;
    };
  }, [url, paramsKey, narrow]);

  return state;
}
