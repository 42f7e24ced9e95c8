/**
 * A one-time message for the next page: set by a server action whose person lands somewhere else (leaving an org
 * ends on another org, onboarding or the signed-out page), shown once by FlashMessage and cleared. A cookie rather
 * than a query parameter, so it survives the redirects on the way and a link cannot put words in the app's mouth.
 * Readable by the page's script (not httpOnly): it holds only the sentence shown, never anything secret.
 */
export const FLASH_COOKIE = 'gatehouse-flash';
/** Long enough for the redirects, short enough that a message never greets a later visit. */
export const FLASH_MAX_AGE_SECONDS = 60;
export const FLASH_MAX_LENGTH = 300;
