/**
 * Products with variants (issue 16): a size or a colour is a product of its own that names its
 * parent. The one rule, shared by the cloud's product edits, its catalogue CSV import and the
 * console: the parent exists, is not the product itself, and is not itself a variant (one level
 * only, so a chain of parents and with it a cycle cannot arise); a product that has variants cannot
 * become one. Each refusal says why in both languages, for the console and the import's dry run.
 */

export type VariantProblemCode = 'SELF_PARENT' | 'UNKNOWN_PARENT' | 'PARENT_CYCLE' | 'PARENT_IS_VARIANT' | 'HAS_VARIANTS';

export interface VariantProblem {
  code: VariantProblemCode;
  zh: string;
  en: string;
}

export interface VariantCatalogue {
  /** The product's parent after the change: null when it is no variant, undefined when there is no such product. */
  parentOf(sku: string): string | null | undefined;
  /** Whether any product (after the change) names this one as its parent. */
  hasVariants(sku: string): boolean;
}

/** Why `sku` cannot be a variant of `parentSku` in `catalogue`, or null when it can. */
export function variantProblem(sku: string, parentSku: string, catalogue: VariantCatalogue): VariantProblem | null {
  if (parentSku === sku) return { code: 'SELF_PARENT', zh: `${sku} 不可以是自己的款式`, en: `${sku} cannot be a variant of itself` };
  const grandParent = catalogue.parentOf(parentSku);
  if (grandParent === undefined)
    return {
      code: 'UNKNOWN_PARENT',
      zh: `母貨品 ${parentSku} 不在貨品目錄中`,
      en: `The parent ${parentSku} is not in the catalogue`,
    };
  if (grandParent !== null) {
    const chain = [sku, parentSku];
    const seen = new Set(chain);
    for (let at: string | null | undefined = grandParent; typeof at === 'string'; at = catalogue.parentOf(at)) {
      chain.push(at);
      if (at === sku) {
        const cycle = chain.join(' → ');
        return { code: 'PARENT_CYCLE', zh: `母貨品形成循環：${cycle}`, en: `The parents make a cycle: ${cycle}` };
      }
      if (seen.has(at)) break;
      seen.add(at);
    }
    return {
      code: 'PARENT_IS_VARIANT',
      zh: `${parentSku} 本身是 ${grandParent} 的款式，款式不可再有款式`,
      en: `${parentSku} is itself a variant of ${grandParent}: a variant cannot have variants`,
    };
  }
  if (catalogue.hasVariants(sku))
    return {
      code: 'HAS_VARIANTS',
      zh: `${sku} 已有自己的款式，不可成為其他貨品的款式`,
      en: `${sku} has variants of its own, so it cannot be a variant`,
    };
  return null;
}

/** How a variant is named in a list: its option label in the language, else its own name. */
export function variantLabel(
  p: { nameZh: string; nameEn: string; optionZh?: string | undefined; optionEn?: string | undefined },
  lang: 'zh-HK' | 'en',
): string {
  const option = lang === 'en' ? (p.optionEn ?? '') || (p.optionZh ?? '') : (p.optionZh ?? '') || (p.optionEn ?? '');
  return option !== '' ? option : lang === 'en' ? p.nameEn : p.nameZh;
}
