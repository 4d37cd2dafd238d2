/**
 * The order screens' logic: the statuses, the moves an administrator may make from
 * each, the shipping form's checks and where the server's errors go (pure: unit-tested).
 */
import type { OrderActor, OrderDetailFragment, OrderRowFragment, OrderStatus, PaymentMethod } from '../../generated/graphql';
import { ApiError } from '../../lib/errors';
import { charCount } from '../../lib/format';
import type { MessageKey } from '../../lib/i18n';
import type { Problem } from '../catalog/form';

export type Order = OrderDetailFragment;
export type OrderRow = OrderRowFragment;

/** Every status, in the order an order goes through them (the list's filter). */
export const ORDER_STATUSES: readonly OrderStatus[] = ['AWAITING_PAYMENT', 'PREPARING', 'SHIPPED', 'DELIVERED', 'CANCELLED'];

/** What an administrator may do to an order. */
export type OrderAction = 'markPaid' | 'ship' | 'deliver' | 'cancel';

export interface OrderMove {
  action: OrderAction;
  /** The status it moves the order to. */
  to: OrderStatus;
}

/** The server's allowed moves (shop::orders::admin_may), each as the button that makes it. */
const MOVES: Readonly<Record<OrderStatus, readonly OrderMove[]>> = {
  AWAITING_PAYMENT: [
    { action: 'markPaid', to: 'PREPARING' },
    { action: 'cancel', to: 'CANCELLED' },
  ],
  PREPARING: [
    { action: 'ship', to: 'SHIPPED' },
    { action: 'cancel', to: 'CANCELLED' },
  ],
  SHIPPED: [{ action: 'deliver', to: 'DELIVERED' }],
  DELIVERED: [],
  CANCELLED: [],
};

/** The moves an order in `status` allows, the usual next step first; none once delivered or cancelled. */
export function allowedMoves(status: OrderStatus): readonly OrderMove[] {
  return MOVES[status] ?? [];
}

export const STATUS_LABEL: Readonly<Record<OrderStatus, MessageKey>> = {
  AWAITING_PAYMENT: 'orders.status.AWAITING_PAYMENT',
  PREPARING: 'orders.status.PREPARING',
  SHIPPED: 'orders.status.SHIPPED',
  DELIVERED: 'orders.status.DELIVERED',
  CANCELLED: 'orders.status.CANCELLED',
};

/** The badge's colour: waiting, in progress, done, or off. */
export const STATUS_BADGE: Readonly<Record<OrderStatus, string>> = {
  AWAITING_PAYMENT: 'badge-pending',
  PREPARING: 'badge-progress',
  SHIPPED: 'badge-progress',
  DELIVERED: 'badge-on',
  CANCELLED: 'badge-off',
};

/** What the actions section says about the order's next step (or that none is left). */
export const NEXT_STEP: Readonly<Record<OrderStatus, MessageKey>> = {
  AWAITING_PAYMENT: 'orders.next.AWAITING_PAYMENT',
  PREPARING: 'orders.next.PREPARING',
  SHIPPED: 'orders.next.SHIPPED',
  DELIVERED: 'orders.next.DELIVERED',
  CANCELLED: 'orders.next.CANCELLED',
};

export const ACTION_LABEL: Readonly<Record<OrderAction, MessageKey>> = {
  markPaid: 'orders.action.markPaid',
  ship: 'orders.action.ship',
  deliver: 'orders.action.deliver',
  cancel: 'orders.action.cancel',
};

export const ACTOR_LABEL: Readonly<Record<OrderActor, MessageKey>> = {
  CUSTOMER: 'orders.actor.CUSTOMER',
  ADMIN: 'orders.actor.ADMIN',
  SYSTEM: 'orders.actor.SYSTEM',
};

export const PAYMENT_LABEL: Readonly<Record<PaymentMethod, MessageKey>> = {
  BANK_TRANSFER: 'orders.payment.BANK_TRANSFER',
  CASH_ON_DELIVERY: 'orders.payment.CASH_ON_DELIVERY',
};

/** The server's limits (shop::orders::update_order_status). */
export const ORDER_LIMITS = { carrier: 60, trackingNumber: 60, note: 500, search: 100 } as const;

/** Carriers the server makes tracking links for (any other may be typed). */
export const KNOWN_CARRIERS: readonly string[] = ['Yurtiçi Kargo', 'Aras Kargo', 'PTT Kargo'];

/** The fields of the order's page a status change sends. */
export type MoveField = 'carrier' | 'trackingNumber' | 'note';

export interface Shipment {
  carrier: string;
  trackingNumber: string;
}

/** What the browser can tell about the shipping form: both fields are needed, each at most 60 characters. */
export function shipmentProblems(shipment: Shipment): Partial<Record<'carrier' | 'trackingNumber', Problem>> {
  const problems: Partial<Record<'carrier' | 'trackingNumber', Problem>> = {};
  for (const field of ['carrier', 'trackingNumber'] as const) {
    const value = shipment[field].trim();
    if (value === '') problems[field] = { key: 'error.required' };
    else if (charCount(value) > ORDER_LIMITS[field]) problems[field] = { key: 'error.tooLong', params: { max: ORDER_LIMITS[field] } };
  }
  return problems;
}

/** The note sent with a move (empty: none), or why it cannot be sent. */
export function noteProblem(note: string): Problem | null {
  return charCount(note.trim()) > ORDER_LIMITS.note ? { key: 'error.tooLong', params: { max: ORDER_LIMITS.note } } : null;
}

/** The field a server error names (`carrier`, `trackingNumber`, `note`); null for the rest (`status`…). */
export function moveFieldOfError(field: string | null): MoveField | null {
  return field === 'carrier' || field === 'trackingNumber' || field === 'note' ? field : null;
}

/**
 * Whether the error says the order is no longer as the page shows it (another
 * administrator, or the customer, moved it meanwhile): the page loads it again.
 */
export function isStaleOrder(error: unknown): boolean {
  return error instanceof ApiError && (error.reason === 'TRANSITION_NOT_ALLOWED' || error.code === 'CONFLICT');
}

/** The address's lines, without empty ones. */
export function addressLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
