import { useState } from 'preact/hooks';
import { ContactMessagesDocument, MarkContactMessageReadDocument, type ContactMessageItemFragment } from '../../generated/graphql';
import { errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { request } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { Button } from '../components/Button';
import { LoadingLine } from '../components/LoadingLine';
import { MoreButton } from '../components/MoreButton';
import { Notice } from '../components/Notice';
import { useAction, useLang } from '../hooks';
import { usePagedList } from '../paged';

export const MESSAGES_PAGE = 10;

/** Visitors' messages, unread first (the server's order); mark each read. */
export function ContactMessages() {
  const lang = useLang();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const list = usePagedList(
    async (after) => (await request(ContactMessagesDocument, { first: MESSAGES_PAGE, after, unreadOnly })).contactMessages,
    [unreadOnly],
  );

  return (
    <section class="card section" aria-labelledby="messages-title">
      <h2 id="messages-title">{t('messages.title')}</h2>
      <label class="check">
        <input
          type="checkbox"
          checked={unreadOnly}
          onChange={(e) => {
            setMessage(null);
            setUnreadOnly(e.currentTarget.checked);
          }}
        />
        <span>{t('messages.unreadOnly')}</span>
      </label>
      <p class="sr-status" role="status">
        {message}
      </p>
      {list.items === null && list.busy && <LoadingLine status={false} />}
      {list.error !== null && <Notice kind="error">{errorMessage(list.error, lang)}</Notice>}
      {list.items && (
        <>
          <p class="muted">
            {list.total === 0 ? t(unreadOnly ? 'messages.emptyUnread' : 'messages.empty') : t('messages.count', { shown: list.items.length, total: list.total })}
          </p>
          <ul class="item-list">
            {list.items.map((m) => (
              <MessageRow
                key={m.id}
                item={m}
                onRead={(read) => {
                  setMessage(t('messages.markedRead', { name: read.name }));
                  if (unreadOnly) list.remove(read.id);
                  else list.update(read);
                }}
              />
            ))}
          </ul>
          <MoreButton list={list} />
        </>
      )}
    </section>
  );
}

function MessageRow({ item, onRead }: { item: ContactMessageItemFragment; onRead(item: ContactMessageItemFragment): void }) {
  const lang = useLang();
  const mark = useAction(async () => (await request(MarkContactMessageReadDocument, { id: item.id })).markContactMessageRead);
  return (
    <li class={`item message${item.read ? ' is-read' : ' is-unread'}`} data-message-id={item.id} data-read={String(item.read)}>
      <article aria-labelledby={`message-${item.id}`}>
        <header class="item-head">
          <h3 id={`message-${item.id}`} class="item-title">
            {item.subject?.trim() || t('messages.noSubject')}
          </h3>
          <span class={`badge ${item.read ? '' : 'badge-pending'}`}>{t(item.read ? 'messages.read' : 'messages.unread')}</span>
        </header>
        <p class="meta item-from">
          {t('messages.from', { name: item.name })} · <a href={`mailto:${item.email}`}>{item.email}</a>
          {item.phone && (
            <>
              {' · '}
              <a href={`tel:${item.phone.replace(/[^\d+]/g, '')}`}>{item.phone}</a>
            </>
          )}
          {' · '}
          <time dateTime={item.createdAt}>{formatDateTime(item.createdAt, lang)}</time>
        </p>
        <p class="item-text">{item.message}</p>
        {mark.error !== null && <Notice kind="error">{errorMessage(mark.error, lang)}</Notice>}
        {!item.read && (
          <div class="item-actions">
            <Button
              variant="secondary"
              class="btn-small"
              busy={mark.busy}
              busyText={t('messages.marking')}
              aria-label={mark.busy ? undefined : `${t('messages.markRead')}: ${item.subject?.trim() || item.name}`}
              onClick={async () => {
                const done = await mark.run();
                if (done) onRead(done);
              }}
            >
              {t('messages.markRead')}
            </Button>
          </div>
        )}
      </article>
    </li>
  );
}
