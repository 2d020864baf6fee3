// The register-start baseline: the plainest process that serves a till a cashier can log into and
// scan on, from register.db. It opens the SQLite file, serves one page with the same test ids as
// the register (a staff button, a PIN pad, a scan field) and answers a scan with the product's
// name by barcode, which the page appends as the cart's first line.
import Database from 'better-sqlite3';
import { createServer } from 'node:http';

const db = new Database(process.argv[2], { readonly: true });
const store = db.prepare('SELECT name_zh FROM store').pluck().get();
const lookup = db.prepare('SELECT p.name_zh FROM barcode b JOIN product p ON p.id = b.product_id WHERE b.code = ?').pluck();
const PAGE = `<!doctype html><meta charset="utf-8"><title>${store}</title><body>
<div id="login"><button data-testid="login-staff-1">1</button>${[...'0123456789'].map((d) => `<button data-testid="pin-key-${d}">${d}</button>`).join('')}<button data-testid="pin-enter">OK</button></div>
<ol id="cart"></ol><script>
  let pin = '';
  document.querySelectorAll('[data-testid^="pin-key-"]').forEach((b) => b.addEventListener('click', () => (pin += b.textContent)));
  document.querySelector('[data-testid="pin-enter"]').addEventListener('click', () => {
    if (pin !== '1234') return;
    const input = document.createElement('input');
    input.dataset.testid = 'scan-input';
    document.getElementById('login').replaceWith(input);
    let code = '';
    window.addEventListener('keydown', async (e) => {
      if (e.key !== 'Enter') return void (code += e.key);
      const name = await (await fetch('/lookup?code=' + code)).text();
      code = '';
      const li = document.createElement('li');
      li.dataset.testid = 'cart-line-' + document.querySelectorAll('#cart li').length;
      li.textContent = name;
      document.getElementById('cart').append(li);
    });
  });
</script>`;
const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (url.pathname === '/lookup') return res.end(lookup.get(url.searchParams.get('code')) ?? '');
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(PAGE);
});
server.listen(0, '127.0.0.1', () => console.log(`baseline ready: http://127.0.0.1:${server.address().port}/`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
