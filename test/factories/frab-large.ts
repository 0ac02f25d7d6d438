/**
 * A large, valid frab schedule XML for import tests and the import benchmark: `days` × `rooms` ×
 * `perRoom` sessions of 15 minutes from 08:00 (Europe/Berlin), each with a GUID, a ~1 KB abstract
 * and one speaker (speaker i gives the talks i, i + rooms × perRoom, …: the same slot on later
 * days, so nobody is double-booked). 4 × 50 × 60 = 12,000 sessions make a ~19 MB file.
 */
export interface LargeFrabOptions {
  readonly days?: number;
  readonly rooms?: number;
  readonly perRoom?: number;
  readonly acronym?: string;
}

export function largeFrabXml(options: LargeFrabOptions = {}): string {
  const { days = 4, rooms = 50, perRoom = 60, acronym = 'hugecon-2027' } = options;
  const speakers = rooms * perRoom;
  const abstract = 'A look at how the thing works in practice, what broke &amp; what we learned. '.repeat(13);
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<schedule>\n<version>1</version>\n<conference>',
    `<acronym>${acronym}</acronym><title>Huge Conference 2027</title><start>2027-06-01</start><end>2027-06-0${days}</end>`,
    `<days>${days}</days><timeslot_duration>00:15</timeslot_duration><time_zone_name>Europe/Berlin</time_zone_name></conference>`,
  ];
  let n = 0;
  for (let d = 0; d < days; d++) {
    const date = `2027-06-0${d + 1}`;
    out.push(`<day index="${d + 1}" date="${date}" start="${date}T06:00:00+02:00" end="${date}T23:59:00+02:00">`);
    for (let r = 0; r < rooms; r++) {
      out.push(`<room name="Room ${r + 1}">`);
      for (let s = 0; s < perRoom; s++, n++) {
        const minutes = 8 * 60 + s * 15;
        const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
        const mm = String(minutes % 60).padStart(2, '0');
        const guid = `6a1d0c4e-0000-4000-8000-${String(n).padStart(12, '0')}`;
        const who = n % speakers;
        out.push(
          `<event guid="${guid}" id="${n + 1}"><date>${date}T${hh}:${mm}:00+02:00</date><start>${hh}:${mm}</start><duration>00:15</duration>` +
            `<room>Room ${r + 1}</room><slug>${acronym}-${n + 1}-talk</slug><url>https://huge.example.org/talk/${n + 1}</url>` +
            `<title>Talk number ${n + 1}: lessons from production</title><subtitle>Part ${(n % 7) + 1}</subtitle><track>Track ${(r % 12) + 1}</track>` +
            `<type>lecture</type><language>en</language><abstract>${abstract}(${n + 1})</abstract><description></description>` +
            `<persons><person id="${who + 1}">Speaker ${who + 1}</person></persons>` +
            `<links><link href="https://slides.example.org/${n + 1}">Slides</link></links></event>`,
        );
      }
      out.push('</room>');
    }
    out.push('</day>');
  }
  out.push('</schedule>\n');
  return out.join('\n');
}
