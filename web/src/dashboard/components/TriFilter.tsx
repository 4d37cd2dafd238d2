import type { Tri } from '../../lib/filters';

/**
 * A list's filter on a yes/no field: "all" first, then the two answers in the order
 * given (each page names them in its own words, e.g. "Etkin" before "Devre dışı").
 */
export function TriFilter({
  label,
  value,
  onChange,
  all,
  choices,
}: {
  label: string;
  value: Tri;
  onChange: (value: Tri) => void;
  all: string;
  choices: ReadonlyArray<readonly [Exclude<Tri, ''>, string]>;
}) {
  return (
    <label class="filter">
      <span class="field-label">{label}</span>
      <select class="input" value={value} onChange={(e) => onChange(e.currentTarget.value as Tri)}>
        <option value="">{all}</option>
        {choices.map(([choice, text]) => (
          <option key={choice} value={choice}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}
