// C strftime(3) in the local time zone (C/POSIX locale), for time() and strftime().

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const two = (n: number) => String(n).padStart(2, '0');

/** `microseconds` (0-999999) is the sub-second part `%f` prints, as bpftrace's strftime()
 *  builtin does; without it (time()) `%f` stays as written, as in 0.17. */
export function strftime(format: string, date: Date, microseconds?: number): string {
  return format.replace(/%([a-zA-Z%+])/g, (whole, spec: string) => {
    if (spec === 'f' && microseconds !== undefined) return String(microseconds).padStart(6, '0');
    const text = conversion(spec, date);
    return text === undefined ? whole : text;
  });
}

function conversion(spec: string, d: Date): string | undefined {
  const hour12 = d.getHours() % 12 === 0 ? 12 : d.getHours() % 12;
  switch (spec) {
    case '%':
      return '%';
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'a':
      return DAYS[d.getDay()].slice(0, 3);
    case 'A':
      return DAYS[d.getDay()];
    case 'b':
    case 'h':
      return MONTHS[d.getMonth()].slice(0, 3);
    case 'B':
      return MONTHS[d.getMonth()];
    case 'c':
      return `${conversion('a', d)} ${conversion('b', d)} ${conversion('e', d)} ${conversion('T', d)} ${d.getFullYear()}`;
    case 'C':
      return two(Math.floor(d.getFullYear() / 100));
    case 'd':
      return two(d.getDate());
    case 'e':
      return String(d.getDate()).padStart(2, ' ');
    case 'D':
      return `${conversion('m', d)}/${conversion('d', d)}/${conversion('y', d)}`;
    case 'F':
      return `${d.getFullYear()}-${conversion('m', d)}-${conversion('d', d)}`;
    case 'H':
      return two(d.getHours());
    case 'I':
      return two(hour12);
    case 'k':
      return String(d.getHours()).padStart(2, ' ');
    case 'l':
      return String(hour12).padStart(2, ' ');
    case 'j':
      return String(dayOfYear(d)).padStart(3, '0');
    case 'm':
      return two(d.getMonth() + 1);
    case 'M':
      return two(d.getMinutes());
    case 'p':
      return d.getHours() < 12 ? 'AM' : 'PM';
    case 'P':
      return d.getHours() < 12 ? 'am' : 'pm';
    case 'r':
      return `${conversion('I', d)}:${conversion('M', d)}:${conversion('S', d)} ${conversion('p', d)}`;
    case 'R':
      return `${conversion('H', d)}:${conversion('M', d)}`;
    case 's':
      return String(Math.floor(d.getTime() / 1000));
    case 'S':
      return two(d.getSeconds());
    case 'T':
      return `${conversion('H', d)}:${conversion('M', d)}:${conversion('S', d)}`;
    case 'u':
      return String(d.getDay() === 0 ? 7 : d.getDay());
    case 'w':
      return String(d.getDay());
    case 'x':
      return conversion('D', d);
    case 'X':
      return conversion('T', d);
    case 'y':
      return two(d.getFullYear() % 100);
    case 'Y':
      return String(d.getFullYear());
    case 'z': {
      const offset = -d.getTimezoneOffset();
      const abs = Math.abs(offset);
      return `${offset < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}${two(abs % 60)}`;
    }
    case 'Z':
      return (
        new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' })
          .formatToParts(d)
          .find((p) => p.type === 'timeZoneName')?.value ?? ''
      );
    default:
      return undefined;
  }
}

function dayOfYear(d: Date): number {
  const start = new Date(d.getFullYear(), 0, 1);
  return (
    Math.round(
      (new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime() - start.getTime()) /
        86_400_000,
    ) + 1
  );
}
