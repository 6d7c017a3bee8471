// Test support (Node). A well-formed 納付 (§4.19 ApplyPay past the codec) for tests that need one and
// change only what they are about.
import type { Payment } from '../../src/shared/payment.js';

export function aPayment(over: Partial<Payment> = {}): Payment {
  return {
    payNumber: '1000000000000001',
    confirmNumber: '123456',
    facilityNumber: '00100',
    payNameKana: 'テツヅキメイ',
    deadline: '20991231',
    totalFee: '12000',
    status: '未納',
    payDate: '',
    memo: '',
    payFlag: '0',
    problems: [],
    ...over,
  };
}
