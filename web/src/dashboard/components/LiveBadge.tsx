import { errorMessage } from '../../lib/errors';
import { t } from '../../lib/i18n';
import { useLang, useStore } from '../hooks';
import { socketState, type LiveState } from '../live';

/** "Canlı" while pushed updates arrive; otherwise what the connection is doing. */
export function LiveBadge({ state }: { state: LiveState }) {
  const lang = useLang();
  const socket = useStore(socketState);
  let kind: 'live' | 'waiting' | 'error';
  let text: string;
  if (state.status === 'error') {
    kind = 'error';
    text = state.error ? errorMessage(state.error, lang) : t('live.error');
  } else if (state.status === 'live' && socket === 'connected') {
    kind = 'live';
    text = t('live.on');
  } else if (socket === 'reconnecting') {
    kind = 'waiting';
    text = t('live.reconnecting');
  } else {
    kind = 'waiting';
    text = t('live.connecting');
  }
  return (
    <span class={`live-badge live-${kind}`} data-live={kind}>
      <span class="live-dot" aria-hidden="true" />
      {text}
    </span>
  );
}
