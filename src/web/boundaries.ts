import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { normalizeName } from '../gazetteer/normalize.js';
import { memo } from '../memo.js';

/** The countries whose boundaries Tamtam bundles (deploy/boundaries/<code>: OCHA COD-AB, simplified). */
export const bundledCountries = ['mli', 'cod', 'caf'] as const;

type Ring = [number, number][];
interface Feature {
  properties: { name: string; pcode: string; admin1?: string };
  geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
}

/** One administrative area: its name (as the source spells it), parent and rings of [lon, lat]. */
export interface Area {
  name: string;
  key: string;
  admin1: string | null;
  rings: Ring[];
}

/** A country's bundled boundaries and the attribution to show wherever they are drawn. */
export interface Boundaries {
  country: string;
  adm1: Area[];
  adm2: Area[];
  attribution: string;
}

const folder = (country: string) => fileURLToPath(new URL(`../../deploy/boundaries/${country}/`, import.meta.url));

function areas(file: string): Area[] {
  const features = (JSON.parse(readFileSync(file, 'utf8')) as { features: Feature[] }).features;
  return features.map((f) => ({
    name: f.properties.name,
    key: normalizeName(f.properties.name),
    admin1: f.properties.admin1 ?? null,
    rings: f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat(),
  }));
}

/** The attribution quoted in the folder's README ("Required attribution"), and the UN disclaimer. */
function attributionOf(readme: string): string {
  const quoted = readme
    .split('\n')
    .filter((line) => line.startsWith('> '))
    .map((line) => line.slice(2).trim());
  const disclaimer = readme.split('\n').find((line) => line.startsWith('Disclaimer:'));
  return [...quoted, disclaimer ?? ''].join(' ').trim();
}

/** A country's boundaries, read once from the files bundled with Tamtam. */
export const countryBoundaries = memo((country: string): Boundaries => {
  const dir = folder(country);
  return {
    country,
    adm1: areas(`${dir}${country}_adm1.geojson`),
    adm2: areas(`${dir}${country}_adm2.geojson`),
    attribution: attributionOf(readFileSync(`${dir}README.md`, 'utf8')),
  };
});

/** The bundled country that the offices' areas name most (by admin1 or admin2 names), or null. */
export function boundariesFor(offices: readonly { area: { admin1?: string[]; admin2?: string[] } }[]): Boundaries | null {
  const names = new Set(offices.flatMap((o) => [...(o.area.admin1 ?? []), ...(o.area.admin2 ?? [])]).map(normalizeName));
  let best: { boundaries: Boundaries; matches: number } | null = null;
  for (const country of bundledCountries) {
    const boundaries = countryBoundaries(country);
    const matches = [...boundaries.adm1, ...boundaries.adm2].filter((a) => names.has(a.key)).length;
    if (matches > 0 && (!best || matches > best.matches)) best = { boundaries, matches };
  }
  return best?.boundaries ?? null;
}

/** An equirectangular projection of the areas' extent onto a `width`-wide box (longitudes shrunk by the cosine of the middle latitude). */
export function projection(areas: readonly Area[], width: number) {
  const points = areas.flatMap((a) => a.rings.flat());
  const lons = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  const [west, east, south, north] = [Math.min(...lons), Math.max(...lons), Math.min(...lats), Math.max(...lats)];
  const shrink = Math.cos((((north + south) / 2) * Math.PI) / 180);
  const scale = width / ((east - west) * shrink);
  const height = Math.ceil((north - south) * scale);
  const project = (lon: number, lat: number): [number, number] => [
    Math.round((lon - west) * shrink * scale * 10) / 10,
    Math.round((north - lat) * scale * 10) / 10,
  ];
  return {
    width,
    height,
    project,
    path: (area: Area) => area.rings.map((ring) => `M${ring.map(([lon, lat]) => project(lon, lat).join(' ')).join('L')}Z`).join(''),
  };
}
