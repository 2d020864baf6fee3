/** The demo staff and items the staff, roles and audit tests use (open registers with helpers/register-session). */
export const CASHIER = { id: 1, pin: '1234' }; // 陳小明
export const CASHIER_2 = { id: 2, pin: '2345' }; // 黃美玲
export const MANAGER = { id: 3, pin: '9999' }; // 李志強
export const MILK_TEA = '4891234000012';
export const WATER = '4891234000050';
