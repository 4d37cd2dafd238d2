import { errorMessage } from '../../lib/errors';
import { t } from '../../lib/i18n';
import { useAction, useLang } from '../hooks';
import { Button } from './Button';
import { Dialog } from './Dialog';
import { Notice } from './Notice';

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  /** What will happen, in plain words. */
  text: string;
  confirmLabel: string;
  busyLabel: string;
  /** Does the work; the dialog closes when it succeeds and shows the error when not. */
  onConfirm(): Promise<unknown>;
  onClose(): void;
  danger?: boolean;
  /** Where focus goes when the opener is gone (e.g. the deleted item's button). */
  fallbackFocus?: () => HTMLElement | null;
}

/**
 * "Are you sure?" for destructive actions. Focus starts on "Vazgeç" (the safe choice),
 * Escape closes, and focus goes back to what opened it.
 */
export function ConfirmDialog({ open, title, text, confirmLabel, busyLabel, onConfirm, onClose, danger = true, fallbackFocus }: ConfirmDialogProps) {
  return (
    <Dialog open={open} title={title} onClose={onClose} description={text} fallbackFocus={fallbackFocus}>
      <ConfirmBody confirmLabel={confirmLabel} busyLabel={busyLabel} onConfirm={onConfirm} onClose={onClose} danger={danger} />
    </Dialog>
  );
}

function ConfirmBody({ confirmLabel, busyLabel, onConfirm, onClose, danger }: Omit<ConfirmDialogProps, 'open' | 'title' | 'text' | 'fallbackFocus'>) {
  const lang = useLang();
  const action = useAction(async () => {
    await onConfirm();
    return true;
  });
  return (
    <div class="confirm">
      {action.error !== null && (
        <Notice kind="error" focus>
          {errorMessage(action.error, lang)}
        </Notice>
      )}
      <div class="form-actions">
        <Button
          variant={danger ? 'danger' : 'primary'}
          busy={action.busy}
          busyText={busyLabel}
          onClick={async () => {
            if (await action.run()) onClose();
          }}
        >
          {confirmLabel}
        </Button>
        <Button variant="secondary" autoFocus disabled={action.busy} onClick={onClose}>
          {t('common.cancel')}
        </Button>
      </div>
    </div>
  );
}
