import type { Type } from '@nestjs/common';
import { getMetadataStorage, ValidationTypes, type ValidationArguments } from 'class-validator';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage.js';

type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

/** class-transformer's TransformationType.PLAIN_TO_CLASS. */
const PLAIN_TO_CLASS = 0;

interface Rule {
  validateIf?: (object: object, value: unknown) => boolean;
  validate: (value: unknown, args: ValidationArguments) => unknown;
  constraints: unknown[];
}

interface Property {
  name: string;
  /** ValidateIf conditions (e.g. Optional): the rules apply only when all of them hold. */
  conditions: Array<(object: object, value: unknown) => boolean>;
  rules: Rule[];
}

interface Plan {
  properties: Property[];
  targetName: string;
}

type Dto = new () => Record<string, unknown>;

/**
 * The accepting half of the validation pipe for flat DTOs, built once per class from
 * class-validator's own metadata and running its own constraint functions, without its executor's
 * per-call metadata lookups and grouping (about 40 µs per message:send, a tenth of a 10-user room's
 * delivery cost). It only ever answers "valid: here is the DTO, as the full pipe would build it"
 * or "don't know": any rule that fails, any value that is not a primitive, any class using a
 * feature it does not mirror (nested or array rules, groups, async rules, class-transformer
 * decorators) goes the full way, which also produces the error.
 */
export class FlatDtoCheck {
  private readonly plans = new Map<Type<unknown>, Plan | null>();

  /** The DTO built from `value` when it certainly passes; undefined when the full pipe must decide. */
  accept(metatype: Type<unknown>, value: Record<string, unknown>): object | undefined {
    let plan = this.plans.get(metatype);
    if (plan === undefined) {
      plan = planFor(metatype);
      this.plans.set(metatype, plan);
    }
    if (plan === null) {
      return undefined;
    }
    // As class-transformer builds it: a new instance, with the value's own keys (only those the
    // class validates: whitelist strips the others).
    const entity = new (metatype as Dto)();
    for (const { name } of plan.properties) {
      if (Object.hasOwn(value, name)) {
        const field = value[name];
        if ((typeof field === 'object' && field !== null) || typeof field === 'function') {
          return undefined;
        }
        entity[name] = field;
      }
    }
    for (const property of plan.properties) {
      if (!passes(entity, property, plan.targetName)) {
        return undefined;
      }
    }
    return entity;
  }
}

function passes(entity: Record<string, unknown>, { name, conditions, rules }: Property, targetName: string): boolean {
  const value = entity[name];
  if (!conditions.every((condition) => condition(entity, value))) {
    return true;
  }
  return rules.every((rule) => {
    if (rule.validateIf && !rule.validateIf(entity, value)) {
      return true;
    }
    const args: ValidationArguments = {
      targetName,
      property: name,
      object: entity,
      value,
      constraints: rule.constraints,
    };
    return rule.validate(value, args) === true;
  });
}

/** The plan of a class, or null when it uses anything the check does not mirror. */
function planFor(metatype: Type<unknown>): Plan | null {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(metatype, '', false, false);
  const exposes =
    defaultMetadataStorage.getStrategy(metatype) !== 'none' ||
    defaultMetadataStorage.getExposedMetadatas(metatype).length > 0 ||
    defaultMetadataStorage.getExcludedMetadatas(metatype).length > 0;
  if (metadatas.length === 0 || exposes) {
    return null;
  }
  const properties = new Map<string, Property>();
  for (const metadata of metadatas) {
    if (!mirrored(metadata) || transformed(metatype, metadata.propertyName)) {
      return null;
    }
    const property = properties.get(metadata.propertyName) ?? {
      name: metadata.propertyName,
      conditions: [],
      rules: [],
    };
    properties.set(metadata.propertyName, property);
    if (metadata.type === ValidationTypes.CONDITIONAL_VALIDATION) {
      property.conditions.push(metadata.constraints[0] as (object: object, value: unknown) => boolean);
      continue;
    }
    for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
      if (constraint.async) {
        return null;
      }
      const instance = constraint.instance as { validate: Rule['validate'] };
      property.rules.push({
        validateIf: metadata.validateIf,
        validate: (value, args) => instance.validate(value, args),
        constraints: metadata.constraints,
      });
    }
  }
  return { properties: [...properties.values()], targetName: metatype.name };
}

/** Plain rules and ValidateIf conditions, with no groups, `always` or `each`. */
function mirrored(metadata: ValidationMetadata): boolean {
  const kind =
    metadata.type === ValidationTypes.CUSTOM_VALIDATION || metadata.type === ValidationTypes.CONDITIONAL_VALIDATION;
  return kind && !metadata.each && metadata.always === undefined && (metadata.groups?.length ?? 0) === 0;
}

/** Whether class-transformer would change the property on its way in (@Type, @Transform). */
function transformed(metatype: Type<unknown>, property: string): boolean {
  return (
    defaultMetadataStorage.findTypeMetadata(metatype, property) !== undefined ||
    defaultMetadataStorage.findTransformMetadatas(metatype, property, PLAIN_TO_CLASS).length > 0
  );
}
