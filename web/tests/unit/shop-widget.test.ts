import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/lib/errors';
import { checkoutErrorField, checkoutInput, reasonText, withVisitor } from '../../src/widgets/shop/logic';

const address = { title: 'Ev', recipientName: 'Ayşe Yılmaz', phone: '0532 123 45 67', line1: 'Bağdat Cad. 5', line2: '', district: 'Kadıköy', city: 'İstanbul', postalCode: '34710', saveAddress: true, note: '  ' };

describe('the shop pages', () => {
  it('say why the shop refused, in Turkish', () => {
    const refused = new ApiError('BAD_USER_INPUT', 'This coupon has expired.', null, 200, 'code', 'COUPON_EXPIRED');
    expect(reasonText(refused, 'tr')).toBe('Bu kuponun süresi doldu.');
    expect(reasonText(new ApiError('BAD_USER_INPUT', 'x'), 'tr')).toBeNull();
  });

  it('send a saved address by id and a new one whole', () => {
    const saved = checkoutInput(address, '7', 'BANK_TRANSFER', 'key-123456');
    expect(saved).toEqual({ idempotencyKey: 'key-123456', paymentMethod: 'BANK_TRANSFER', note: null, addressId: '7' });
    const fresh = checkoutInput(address, 'new', 'CASH_ON_DELIVERY', 'key-123456', '76990');
    expect(fresh.expectedTotal).toBe('76990');
    expect(fresh.addressId).toBeUndefined();
    expect(fresh.address?.postalCode).toBe('34710');
    expect(fresh.address?.line2).toBeNull();
    expect(fresh.saveAddress).toBe(true);
  });

  it('put a new address error at its field', () => {
    expect(checkoutErrorField('input.address.phone')).toBe('phone');
    expect(checkoutErrorField('input.note')).toBe('note');
    expect(checkoutErrorField(null)).toBeNull();
  });

  it('add the visitor id to an outside link, never anything else', () => {
    expect(withVisitor('/go/lamba', 'v-abc')).toBe('/go/lamba?v=v-abc');
    expect(withVisitor('/go/lamba', 'bad id')).toBe('/go/lamba');
    expect(withVisitor('/go/lamba', null)).toBe('/go/lamba');
  });
});
