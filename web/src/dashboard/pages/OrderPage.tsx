import { useEffect, useRef, useState } from 'preact/hooks';
import { OrderDocument, UpdateOrderStatusDocument, type OrderStatus } from '../../generated/graphql';
import { ApiError, errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { request } from '../../lib/graphql';
import { t } from '../../lib/i18n';
import { formatKurus } from '../../lib/money';
import { Button } from '../components/Button';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Field } from '../components/Field';
import { LoadingLine } from '../components/LoadingLine';
import { Notice } from '../components/Notice';
import { PageHeading } from '../components/PageHeading';
import { RetryNotice } from '../components/RetryNotice';
import { TextAreaField } from '../components/TextAreaField';
import { useAction, useLang, useStore } from '../hooks';
import { route } from '../router';
import { orderNumberFromPath } from '../routes';
import type { Problem } from '../catalog/form';
import {
  ACTION_LABEL,
  ACTOR_LABEL,
  addressLines,
  allowedMoves,
  isStaleOrder,
  KNOWN_CARRIERS,
  moveFieldOfError,
  NEXT_STEP,
  noteProblem,
  ORDER_LIMITS,
  PAYMENT_LABEL,
  shipmentProblems,
  STATUS_BADGE,
  STATUS_LABEL,
  type MoveField,
  type Order,
  type Shipment,
} from '../shop/orders';

type Loaded = { status: 'loading' } | { status: 'found'; order: Order } | { status: 'missing' } | { status: 'error'; error: unknown };

const fetchOrder = async (number: string) => (await request(OrderDocument, { number })).order;

/** `/dashboard/orders/<number>`: one order, what was bought and where it goes, its history, and its next steps. */
export function OrderPage() {
  useLang();
  const { path } = useStore(route);
  const number = orderNumberFromPath(path);
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });

  const load = () => {
    setLoaded({ status: 'loading' });
    fetchOrder(number).then(
      (order) => setLoaded({ status: 'found', order }),
      (error: unknown) => setLoaded(error instanceof ApiError && error.code === 'NOT_FOUND' ? { status: 'missing' } : { status: 'error', error }),
    );
  };
  useEffect(load, [number]);

  return (
    <>
      <PageHeading title={t('orders.orderTitle', { number })}>
        <p>
          <a href="/dashboard/orders/">{t('orders.backToList')}</a>
        </p>
      </PageHeading>
      {loaded.status === 'loading' && <LoadingLine />}
      {loaded.status === 'missing' && (
        <Notice kind="error">
          {t('orders.missing')} <a href="/dashboard/orders/">{t('orders.backToList')}</a>
        </Notice>
      )}
      {loaded.status === 'error' && <RetryNotice error={loaded.error} onRetry={load} />}
      {loaded.status === 'found' && (
        <OrderView
          order={loaded.order}
          onChanged={(order) => setLoaded({ status: 'found', order })}
          // The order moved meanwhile: show it as it is now (the refusal stays on screen).
          onStale={() => fetchOrder(number).then((order) => setLoaded({ status: 'found', order }), () => undefined)}
        />
      )}
    </>
  );
}

function OrderView({ order, onChanged, onStale }: { order: Order; onChanged(order: Order): void; onStale(): void }) {
  const lang = useLang();
  const money = (amount: string) => formatKurus(amount, lang);
  const [message, setMessage] = useState<string | null>(null);
  const summaryHeading = useRef<HTMLHeadingElement>(null);

  const moved = (next: Order) => {
    onChanged(next);
    setMessage(t('orders.moved', { number: next.number, status: t(STATUS_LABEL[next.status]) }));
    // The button that was pressed may be gone: the summary shows the new status.
    summaryHeading.current?.focus();
  };

  return (
    <div class="wide-stack order-page">
      <section class="card section" aria-labelledby="order-summary-title">
        <h2 id="order-summary-title" ref={summaryHeading} tabIndex={-1}>
          {t('orders.summary')}
        </h2>
        <p class="sr-status" role="status">
          {message}
        </p>
        <dl class="details">
          <dt>{t('orders.status')}</dt>
          <dd>
            <span class={`badge badge-large ${STATUS_BADGE[order.status]}`}>{t(STATUS_LABEL[order.status])}</span>
          </dd>
          <dt>{t('orders.date')}</dt>
          <dd>
            <time dateTime={order.createdAt}>{formatDateTime(order.createdAt, lang)}</time>
          </dd>
          <dt>{t('orders.updatedAt')}</dt>
          <dd>
            <time dateTime={order.updatedAt}>{formatDateTime(order.updatedAt, lang)}</time>
          </dd>
          <dt>{t('orders.email')}</dt>
          <dd>
            <a href={`mailto:${order.email}`}>{order.email}</a>
          </dd>
          <dt>{t('orders.paymentMethod')}</dt>
          <dd>{t(PAYMENT_LABEL[order.paymentMethod])}</dd>
          {order.couponCode !== null && (
            <>
              <dt>{t('orders.coupon')}</dt>
              <dd>{order.couponCode}</dd>
            </>
          )}
          {order.carrier !== null && (
            <>
              <dt>{t('orders.carrier')}</dt>
              <dd>{order.carrier}</dd>
            </>
          )}
          {order.trackingNumber !== null && (
            <>
              <dt>{t('orders.trackingNumber')}</dt>
              <dd>{order.trackingNumber}</dd>
            </>
          )}
          <dt>{t('orders.customerNote')}</dt>
          <dd class="pre-line">{order.note ?? <span class="muted">{t('orders.noNote')}</span>}</dd>
        </dl>
        <p class="meta">
          <a href={order.url} target="_blank" rel="noopener noreferrer">
            {t('orders.viewInStore')}
            <span class="visually-hidden"> ({t('common.newTab')})</span>
          </a>
        </p>
      </section>

      <OrderActions key={order.id} order={order} onMoved={moved} onStale={onStale} fallbackFocus={() => summaryHeading.current} />

      <section class="card section" aria-labelledby="order-lines-title">
        <h2 id="order-lines-title">{t('orders.lines')}</h2>
        <div class="table-scroll">
          <table class="data-table order-lines">
            <thead>
              <tr>
                <th scope="col">{t('orders.product')}</th>
                <th scope="col" class="numeric">
                  {t('orders.unitPrice')}
                </th>
                <th scope="col" class="numeric">
                  {t('orders.quantity')}
                </th>
                <th scope="col" class="numeric">
                  {t('orders.lineTotal')}
                </th>
                <th scope="col" class="numeric">
                  {t('orders.lineDiscount')}
                </th>
                <th scope="col" class="numeric">
                  {t('orders.vat')}
                </th>
              </tr>
            </thead>
            <tbody>
              {order.lines.map((line) => (
                <tr key={line.id}>
                  <td>
                    {line.productName}
                    {line.sku !== null && <span class="product-slug muted">{line.sku}</span>}
                  </td>
                  <td class="numeric">{money(line.unitPrice.amount)}</td>
                  <td class="numeric">{line.quantity}</td>
                  <td class="numeric">{money(line.lineTotal.amount)}</td>
                  <td class="numeric">{line.discount.amount === '0' ? <span class="muted">—</span> : money(`-${line.discount.amount}`)}</td>
                  <td class="numeric">{t('orders.vatOf', { rate: line.vatRate, amount: money(line.vatAmount.amount) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <table class="data-table order-totals">
          <caption class="visually-hidden">{t('orders.totals')}</caption>
          <tbody>
            <tr>
              <th scope="row">{t('orders.subtotal')}</th>
              <td class="numeric">{money(order.subtotal.amount)}</td>
            </tr>
            <tr>
              <th scope="row">{t('orders.discount')}</th>
              <td class="numeric">{order.discount.amount === '0' ? money('0') : money(`-${order.discount.amount}`)}</td>
            </tr>
            <tr>
              <th scope="row">{t('orders.shipping')}</th>
              <td class="numeric">{money(order.shipping.amount)}</td>
            </tr>
            <tr>
              <th scope="row">{t('orders.paymentFee')}</th>
              <td class="numeric">{money(order.paymentFee.amount)}</td>
            </tr>
            <tr class="total-row">
              <th scope="row">{t('orders.total')}</th>
              <td class="numeric">{money(order.total.amount)}</td>
            </tr>
            <tr>
              <th scope="row">{t('orders.vatIncluded')}</th>
              <td class="numeric">{money(order.vatIncluded.amount)}</td>
            </tr>
          </tbody>
        </table>
      </section>

      <section class="card section" aria-labelledby="order-address-title">
        <h2 id="order-address-title">{t('orders.shippingAddress')}</h2>
        <address class="order-address">
          <strong>{order.shippingAddress.recipientName}</strong>
          <br />
          {order.shippingAddress.phone}
          {addressLines(order.shippingAddress.text).map((line, i) => (
            <span key={i}>
              <br />
              {line}
            </span>
          ))}
        </address>
      </section>

      <section class="card section" aria-labelledby="order-history-title">
        <h2 id="order-history-title">{t('orders.history')}</h2>
        <ol class="item-list order-history">
          {order.history.map((event, i) => (
            <li key={i} class="item">
              <div class="item-head">
                <span class={`badge ${STATUS_BADGE[event.status]}`}>{t(STATUS_LABEL[event.status])}</span>
                <span>{t(ACTOR_LABEL[event.actor])}</span>
                <time class="muted" dateTime={event.createdAt}>
                  {formatDateTime(event.createdAt, lang)}
                </time>
              </div>
              {event.note !== null && <p class="item-text">{event.note}</p>}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

interface OrderActionsProps {
  order: Order;
  onMoved(order: Order): void;
  onStale(): void;
  fallbackFocus(): HTMLElement | null;
}

const EMPTY_SHIPMENT: Shipment = { carrier: '', trackingNumber: '' };
/** The "Kargoya ver" button, which opens and closes the shipping form. */
const SHIP_TOGGLE = 'order-ship-toggle';

/**
 * The moves the order's status allows (only those), with an optional note for its
 * history. A refusal because the order moved meanwhile stays on screen while the page
 * shows the order as it is now (and so the moves it allows now).
 */
function OrderActions({ order, onMoved, onStale, fallbackFocus }: OrderActionsProps) {
  const lang = useLang();
  const moves = allowedMoves(order.status);
  const [note, setNote] = useState('');
  const [shipping, setShipping] = useState(false);
  const [shipment, setShipment] = useState<Shipment>(EMPTY_SHIPMENT);
  const [problems, setProblems] = useState<Partial<Record<MoveField, Problem>>>({});
  const [cancelling, setCancelling] = useState(false);
  const fields = useRef<Partial<Record<MoveField, HTMLElement | null>>>({});
  const ref = (field: MoveField) => (el: HTMLElement | null) => {
    fields.current[field] = el;
  };

  const send = async (status: OrderStatus, sent?: Shipment): Promise<Order> => {
    const trimmed = note.trim();
    try {
      return (
        await request(UpdateOrderStatusDocument, {
          id: order.id,
          status,
          note: trimmed === '' ? null : trimmed,
          carrier: sent ? sent.carrier.trim() : null,
          trackingNumber: sent ? sent.trackingNumber.trim() : null,
        })
      ).updateOrderStatus;
    } catch (error) {
      if (isStaleOrder(error)) onStale();
      throw error;
    }
  };
  const move = useAction(send);

  const moved = (next: Order) => {
    setNote('');
    setShipping(false);
    setShipment(EMPTY_SHIPMENT);
    setProblems({});
    onMoved(next);
  };

  const serverField = move.error instanceof ApiError ? moveFieldOfError(move.error.field) : null;
  useEffect(() => {
    if (serverField) fields.current[serverField]?.focus();
  }, [move.error]);

  const errorOf = (field: MoveField): string | null => {
    const problem = problems[field];
    if (problem) return t(problem.key, problem.params);
    return serverField === field ? errorMessage(move.error, lang) : null;
  };

  /** The browser's checks; focus goes to the first field with a problem. */
  const checked = (withShipment: boolean): boolean => {
    const found: Partial<Record<MoveField, Problem>> = withShipment ? shipmentProblems(shipment) : {};
    const aboutNote = noteProblem(note);
    if (aboutNote) found.note = aboutNote;
    setProblems(found);
    move.reset();
    const first = (['note', 'carrier', 'trackingNumber'] as const).find((f) => found[f]);
    if (first) fields.current[first]?.focus();
    return first === undefined;
  };

  const run = async (status: OrderStatus, sent?: Shipment) => {
    const done = await move.run(status, sent);
    if (done) moved(done);
  };

  const edit = (patch: Partial<Shipment>) => {
    setShipment((s) => ({ ...s, ...patch }));
    const changed = Object.keys(patch);
    setProblems((p) => Object.fromEntries(Object.entries(p).filter(([f]) => !changed.includes(f))));
    if (!move.busy) move.reset();
  };

  const closeShipping = () => {
    setShipping(false);
    setProblems({});
    move.reset();
    document.getElementById(SHIP_TOGGLE)?.focus();
  };

  const generalError = move.error !== null && serverField === null;

  return (
    <section class="card section" aria-labelledby="order-actions-title">
      <h2 id="order-actions-title">{t('orders.actions')}</h2>
      <p class="muted">{t(NEXT_STEP[order.status])}</p>
      {generalError && (
        <Notice kind="error" focus>
          {errorMessage(move.error, lang)}
        </Notice>
      )}
      {moves.length > 0 && (
        <div class="form order-actions">
          <TextAreaField
            label={t('orders.note')}
            hint={t('orders.noteHint', { max: ORDER_LIMITS.note })}
            rows={2}
            maxLength={ORDER_LIMITS.note}
            value={note}
            inputRef={ref('note')}
            error={errorOf('note')}
            onInput={(e) => {
              setNote(e.currentTarget.value);
              setProblems(({ note: _, ...rest }) => rest);
              if (!move.busy) move.reset();
            }}
          />
          <div class="form-actions">
            {moves.map((m) => {
              if (m.action === 'cancel') return null;
              if (m.action === 'ship') {
                return (
                  <Button
                    key={m.action}
                    id={SHIP_TOGGLE}
                    variant={shipping ? 'secondary' : 'primary'}
                    aria-expanded={shipping ? 'true' : 'false'}
                    aria-controls="order-ship-form"
                    disabled={move.busy}
                    onClick={() => {
                      if (shipping) {
                        closeShipping();
                        return;
                      }
                      move.reset();
                      setShipping(true);
                    }}
                  >
                    {t(ACTION_LABEL[m.action])}
                  </Button>
                );
              }
              return (
                <Button
                  key={m.action}
                  busy={move.busy}
                  busyText={t('common.saving')}
                  onClick={async () => {
                    if (checked(false)) await run(m.to);
                  }}
                >
                  {t(ACTION_LABEL[m.action])}
                </Button>
              );
            })}
            {moves.some((m) => m.action === 'cancel') && (
              <Button
                variant="ghost"
                class="btn-danger-text push-end"
                aria-haspopup="dialog"
                disabled={move.busy}
                onClick={() => {
                  if (checked(false)) setCancelling(true);
                }}
              >
                {t(ACTION_LABEL.cancel)}
              </Button>
            )}
          </div>
        </div>
      )}
      {shipping && moves.some((m) => m.action === 'ship') && (
        <ShipForm
          shipment={shipment}
          busy={move.busy}
          errorOf={errorOf}
          fieldRef={ref}
          onEdit={edit}
          onSubmit={async () => {
            if (checked(true)) await run('SHIPPED', shipment);
          }}
          onCancel={closeShipping}
        />
      )}
      <ConfirmDialog
        open={cancelling}
        title={t('orders.cancelTitle')}
        text={t(order.status === 'AWAITING_PAYMENT' ? 'orders.cancelText' : 'orders.cancelTextPrepared', { number: order.number })}
        confirmLabel={t('orders.cancelConfirm')}
        busyLabel={t('orders.cancelling')}
        onConfirm={async () => moved(await send('CANCELLED'))}
        onClose={() => setCancelling(false)}
        fallbackFocus={fallbackFocus}
      />
    </section>
  );
}

interface ShipFormProps {
  shipment: Shipment;
  busy: boolean;
  errorOf(field: 'carrier' | 'trackingNumber'): string | null;
  fieldRef(field: 'carrier' | 'trackingNumber'): (el: HTMLElement | null) => void;
  onEdit(patch: Partial<Shipment>): void;
  onSubmit(): Promise<void>;
  onCancel(): void;
}

/** "Kargoya ver": the carrier and the tracking number, both needed (the customer is e-mailed them). */
function ShipForm({ shipment, busy, errorOf, fieldRef, onEdit, onSubmit, onCancel }: ShipFormProps) {
  const carrier = useRef<HTMLInputElement | null>(null);
  useEffect(() => carrier.current?.focus(), []);
  return (
    <form
      id="order-ship-form"
      class="form ship-form"
      noValidate
      aria-labelledby="order-ship-title"
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) void onSubmit();
      }}
    >
      <h3 id="order-ship-title">{t('orders.shipTitle')}</h3>
      <p class="muted">{t('orders.shipIntro')}</p>
      <div class="form-grid">
        <Field
          label={t('orders.carrier')}
          hint={t('orders.carrierHint')}
          required
          list="order-carriers"
          autoComplete="off"
          maxLength={ORDER_LIMITS.carrier}
          value={shipment.carrier}
          inputRef={(el: HTMLInputElement | null) => {
            carrier.current = el;
            fieldRef('carrier')(el);
          }}
          error={errorOf('carrier')}
          onInput={(e) => onEdit({ carrier: e.currentTarget.value })}
        />
        <Field
          label={t('orders.trackingNumber')}
          required
          autoComplete="off"
          spellcheck={false}
          maxLength={ORDER_LIMITS.trackingNumber}
          value={shipment.trackingNumber}
          inputRef={fieldRef('trackingNumber')}
          error={errorOf('trackingNumber')}
          onInput={(e) => onEdit({ trackingNumber: e.currentTarget.value })}
        />
      </div>
      <datalist id="order-carriers">
        {KNOWN_CARRIERS.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      <div class="form-actions">
        <Button type="submit" busy={busy} busyText={t('common.saving')}>
          {t('orders.shipSubmit')}
        </Button>
        <Button variant="secondary" disabled={busy} onClick={onCancel}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
