"use client";
// The algorithm (and, for RS256, the RSA key size) of a key about to be generated.
import type { RsaModulusLength, SigningAlgorithm } from "@/server/isomorphic/signing-keys/algorithms";
import { Field, Select } from "@/components/ui/field";

const ALGORITHM_LABELS: Record<SigningAlgorithm, string> = {
  ES256: "ES256 (ECDSA P-256)",
  RS256: "RS256 (RSA)",
  EdDSA: "EdDSA (Ed25519)",
};

export interface KeyChoice {
  alg: SigningAlgorithm;
  rsaSize: RsaModulusLength;
}

export function AlgorithmFields({
  idPrefix,
  algorithms,
  rsaSizes,
  value,
  onChange,
  disabled,
  invalid,
}: {
  idPrefix: string;
  algorithms: readonly SigningAlgorithm[];
  rsaSizes: readonly RsaModulusLength[];
  value: KeyChoice;
  onChange: (v: KeyChoice) => void;
  disabled?: boolean;
  invalid?: ReadonlySet<string>;
}) {
  const algId = `${idPrefix}-alg`;
  const sizeId = `${idPrefix}-size`;
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <Field id={algId} label="Algorithm" hint="Every verifier of this tenant's tokens must support it.">
        <Select
          id={algId}
          name="alg"
          value={value.alg}
          disabled={disabled}
          aria-describedby={`${algId}-hint`}
          aria-invalid={invalid?.has("alg") || undefined}
          onChange={(e) => {
            const alg = algorithms.find((a) => a === e.target.value);
            if (alg) onChange({ ...value, alg });
          }}
        >
          {algorithms.map((a) => (
            <option key={a} value={a}>
              {ALGORITHM_LABELS[a]}
            </option>
          ))}
        </Select>
      </Field>
      {value.alg === "RS256" ? (
        <Field id={sizeId} label="RSA key size">
          <Select
            id={sizeId}
            name="modulusLength"
            value={String(value.rsaSize)}
            disabled={disabled}
            aria-invalid={invalid?.has("modulusLength") || undefined}
            onChange={(e) => {
              const size = rsaSizes.find((n) => String(n) === e.target.value);
              if (size) onChange({ ...value, rsaSize: size });
            }}
          >
            {rsaSizes.map((n) => (
              <option key={n} value={String(n)}>
                {n} bits
              </option>
            ))}
          </Select>
        </Field>
      ) : null}
    </div>
  );
}
