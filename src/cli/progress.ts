/**
 * Progress for long CLI work, on stderr so stdout stays clean for data: a live line on a
 * terminal, otherwise one line per stage and every 25%.
 */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr) {
  const tty = stream.isTTY === true;
  let lastStage = '';
  let lastQuarter = -1;
  return (stage: string, done: number, total: number) => {
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
    if (tty) {
      stream.write(`\r\x1b[K${stage}: ${done}/${total} (${pct}%)`);
      if (done >= total) stream.write('\n');
      return;
    }
    const quarter = Math.floor(pct / 25);
    if (stage !== lastStage || quarter !== lastQuarter) {
      stream.write(`${stage}: ${done}/${total} (${pct}%)\n`);
      lastStage = stage;
      lastQuarter = quarter;
    }
  };
}
