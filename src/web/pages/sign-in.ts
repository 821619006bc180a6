import { html } from '../html.js';
import { page, type PageFrame } from '../layout.js';

/** The sign-in page: how officers get a link, and the administrator's form. */
export function signInPage(frame: PageFrame, data: { next: string; adminSignIn: boolean; problem?: string }): string {
  const { t } = frame;
  return page(
    frame,
    html`<h1>${t('signIn.title')}</h1>
    ${data.problem ? html`<p class="notice error" role="alert">${data.problem}</p>` : ''}
    <section class="card" aria-labelledby="officers"><h2 id="officers">${t('signIn.officersTitle')}</h2>
      <p>${t('signIn.officers')}</p></section>
    ${
      data.adminSignIn
        ? html`<section class="card" aria-labelledby="admin"><h2 id="admin">${t('signIn.adminTitle')}</h2>
      <form method="post" action="/signin"><input type="hidden" name="next" value="${data.next}">
        <label for="token">${t('signIn.adminToken')}</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required>
        <p><button>${t('signIn.adminButton')}</button></p></form></section>`
        : ''
    }`,
  );
}

/** What a sign-in link opens: one button that signs in (a link preview fetching the page does not use the link). */
export function loginLinkPage(frame: PageFrame, data: { action: string }): string {
  const { t } = frame;
  return page(
    frame,
    html`<h1>${t('signIn.linkTitle')}</h1><p>${t('signIn.linkText')}</p>
    <form method="post" action="${data.action}"><button>${t('signIn.linkButton')}</button></form>`,
  );
}

/** A link that cannot be used (expired, used, unknown): says so, and how to get a new one. */
export function refusedLinkPage(frame: PageFrame, reason: 'expired' | 'used' | 'unknown' | 'tooMany'): string {
  const { t } = frame;
  return page(frame, html`<h1>${t(`signIn.refused.${reason}`)}</h1><p>${t('signIn.newLink')}</p><p><a href="/signin">${t('signIn.title')}</a></p>`);
}

/** `/logout` typed in the address bar: the button that ends the session. */
export function signOutPage(frame: PageFrame): string {
  return page(
    frame,
    html`<h1>${frame.t('nav.signOut')}</h1>
    <form method="post" action="/logout"><input type="hidden" name="_csrf" value="${frame.user?.csrf ?? ''}"><button>${frame.t('nav.signOut')}</button></form>`,
  );
}
