import { AttachmentEntity } from '../attachments/attachment.entity';
import { AttachmentsStore } from '../attachments/attachments.store';
import { PolicySetsStore } from '../decisions/policy-sets.store';
import { InlinePoliciesStore } from '../inline/inline-policies.store';
import { InlinePolicyEntity } from '../inline/inline-policy.entity';
import { AwsCatalogueStore } from '../policies/aws-catalogue.store';
import { PoliciesStore } from '../policies/policies.store';
import { PolicyVersionEntity } from '../policies/policy-version.entity';
import { PolicyEntity } from '../policies/policy.entity';
import { PrincipalTombstoneEntity } from '../principals/principal-tombstone.entity';
import { PrincipalTombstonesStore } from '../principals/principal-tombstones.store';

/** Every table of the authorization schema, as TypeORM entities. */
export const authorizationEntities = [PolicyEntity, PolicyVersionEntity, AttachmentEntity, InlinePolicyEntity, PrincipalTombstoneEntity];

/** One store per feature: the only classes that read or write the tables. */
export const authorizationStores = [PoliciesStore, AwsCatalogueStore, AttachmentsStore, InlinePoliciesStore, PrincipalTombstonesStore, PolicySetsStore];
