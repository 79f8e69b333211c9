// Made-up orders for the "Customer Orders" example app.
//
// Deterministic: the same email address (trimmed, lower-cased) always gives the same orders,
// on every machine and every day. The email's FNV-1a hash (32 bits, over its UTF-8 bytes) seeds
// a mulberry32 generator, which picks 2 to 6 orders going back from a fixed date.

const PRODUCTS = [
  ["Ergonomic keyboard", 8900],
  ["Wireless mouse", 2900],
  ["USB-C dock", 14900],
  ["27\" monitor", 32900],
  ["Laptop stand", 4500],
  ["Noise-cancelling headset", 19900],
  ["Webcam HD", 6900],
  ["Desk lamp", 3900],
  ["Cable kit", 1900],
  ["Standing desk mat", 5900],
];

// The newest order is about this recent; older ones go back from here.
const ANCHOR = Date.UTC(2026, 9, 31);
const DAY = 24 * 60 * 60 * 1000;

/** FNV-1a, 32 bits, over the UTF-8 bytes of `text`. */
export function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** mulberry32: a small seeded generator of numbers in [0, 1). */
export function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The email as the key of its orders, or "" when there is none. */
export function normalizeEmail(email) {
  return typeof email === "string" ? email.trim().toLowerCase() : "";
}

/**
 * The orders of the customer with this email, newest first: `{number, date (YYYY-MM-DD),
 * items: [{name, quantity, unitCents}], totalCents, status}`. No email, no orders.
 */
export function ordersFor(email) {
  const key = normalizeEmail(email);
  if (!key) return [];
  const random = mulberry32(fnv1a(key));
  const int = (min, max) => min + Math.floor(random() * (max - min + 1));
  const count = int(2, 6);
  const orders = [];
  let day = ANCHOR - int(0, 20) * DAY;
  let number = 300000 + int(0, 699999);
  for (let i = 0; i < count; i++) {
    const items = [];
    const lines = int(1, 3);
    for (let j = 0; j < lines; j++) {
      const [name, unitCents] = PRODUCTS[int(0, PRODUCTS.length - 1)];
      const existing = items.find((item) => item.name === name);
      if (existing) existing.quantity += 1;
      else items.push({ name, quantity: int(1, 2), unitCents });
    }
    const totalCents = items.reduce((sum, item) => sum + item.quantity * item.unitCents, 0);
    const roll = random();
    let status;
    if (i === 0) status = roll < 0.4 ? "Processing" : roll < 0.75 ? "Shipped" : "Delivered";
    else status = roll < 0.8 ? "Delivered" : roll < 0.92 ? "Refunded" : "Cancelled";
    orders.push({
      number: `CO-${number}`,
      date: new Date(day).toISOString().slice(0, 10),
      items,
      totalCents,
      status,
    });
    day -= int(9, 75) * DAY;
    number -= int(1500, 40000);
  }
  return orders;
}

/** `12345` cents as "$123.45". */
export function formatCents(cents) {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  const dollars = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}$${dollars}.${String(abs % 100).padStart(2, "0")}`;
}
