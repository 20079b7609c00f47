import fc from 'fast-check';
import { AwsProtocolError } from '../errors';
import {
  decodeQueryInput,
  defineShape,
  formatValidationMessage,
  parseFormUrlEncoded,
  QueryValidationError,
  readQueryParameters,
  validateShape,
  type Infer,
} from './index';

// A few IAM inputs, with the constraints of the IAM model.
const userName = { type: 'string', min: 1, max: 64, pattern: '[\\w+=,.@-]+' } as const;
const tag = {
  type: 'structure',
  members: {
    Key: { type: 'string', required: true, min: 1, max: 128, pattern: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+' },
    Value: { type: 'string', required: true, min: 0, max: 256, pattern: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*' },
  },
} as const;

const CreateUser = defineShape({
  type: 'structure',
  members: {
    Path: { type: 'string', min: 1, max: 512, pattern: '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)' },
    UserName: { ...userName, required: true },
    PermissionsBoundary: { type: 'string', min: 20, max: 2048 },
    Tags: { type: 'list', member: tag, max: 50 },
  },
});

const ListUsers = defineShape({
  type: 'structure',
  members: {
    PathPrefix: { type: 'string', min: 1, max: 512 },
    Marker: { type: 'string', min: 1, max: 320 },
    MaxItems: { type: 'integer', min: 1, max: 1000 },
  },
});

const SimulateCustomPolicy = defineShape({
  type: 'structure',
  members: {
    PolicyInputList: { type: 'list', required: true, member: { type: 'string', min: 1, max: 131072 } },
    ActionNames: { type: 'list', required: true, member: { type: 'string', min: 3, max: 128 } },
    ContextEntries: {
      type: 'list',
      member: {
        type: 'structure',
        members: {
          ContextKeyName: { type: 'string', min: 5, max: 256 },
          ContextKeyValues: { type: 'list', member: { type: 'string' } },
          ContextKeyType: {
            type: 'string',
            enum: ['string', 'stringList', 'numeric', 'numericList', 'boolean', 'booleanList', 'ip', 'ipList', 'binary', 'binaryList', 'date', 'dateList'],
          },
        },
      },
    },
  },
});

const Misc = defineShape({
  type: 'structure',
  members: {
    Flag: { type: 'boolean' },
    When: { type: 'timestamp' },
    Password: { type: 'string', min: 8, sensitive: true },
    Labels: { type: 'map', key: { type: 'string', min: 1 }, value: { type: 'string' }, max: 2 },
    Status: { type: 'string', enum: ['Active', 'Inactive'] },
    Nested: { type: 'structure', members: { Inner: { type: 'integer', required: true } } },
  },
});

function params(text: string): Map<string, string> {
  return parseFormUrlEncoded(text);
}

function errorOf(run: () => unknown): AwsProtocolError {
  try {
    run();
  } catch (error) {
    if (error instanceof AwsProtocolError) return error;
    throw error;
  }
  throw new Error('expected an AwsProtocolError');
}

describe('parseFormUrlEncoded', () => {
  it('decodes + as space, escapes as UTF-8 bytes, and keeps order', () => {
    const parsed = params('b=a+b&a=%2B%20%E2%9C%93&c&d=&=x&&e=x=y');
    expect([...parsed]).toEqual([
      ['b', 'a b'],
      ['a', '+ ✓'],
      ['c', ''],
      ['d', ''],
      ['', 'x'],
      ['e', 'x=y'],
    ]);
  });

  it('refuses a repeated parameter', () => {
    const error = errorOf(() => params('UserName=a&UserName=b'));
    expect(error.code).toBe('InvalidQueryParameter');
    expect(error.message).toBe("The parameter 'UserName' appears more than once.");
  });

  it.each([
    ['a=%zz', 'Illegal hex character in escape % pattern: %zz'],
    ['a=%4', 'Incomplete trailing escape % sequence'],
    ['a=%FF', "The value of parameter 'a' is not valid UTF-8 once percent-decoded."],
  ])('refuses %p', (text, message) => {
    const error = errorOf(() => params(text));
    expect(error.code).toBe('InvalidQueryParameter');
    expect(error.message).toBe(message);
  });
});

describe('readQueryParameters', () => {
  it('merges the query string and a form body, leaving SigV4 parameters out', () => {
    const result = readQueryParameters({
      rawQuery: 'Action=ListUsers&X-Amz-Signature=abc&X-Amz-Date=20261128T010203Z',
      body: Buffer.from('Version=2010-05-08&MaxItems=10'),
      contentType: 'application/x-www-form-urlencoded; charset=utf-8',
    });
    expect(Object.fromEntries(result)).toEqual({ Action: 'ListUsers', Version: '2010-05-08', MaxItems: '10' });
  });

  it('ignores a body that is not a form', () => {
    const result = readQueryParameters({ rawQuery: 'Action=ListUsers', body: '{"a":1}', contentType: 'application/json' });
    expect(Object.fromEntries(result)).toEqual({ Action: 'ListUsers' });
  });

  it('refuses a parameter given in the query and in the body', () => {
    expect(
      errorOf(() =>
        readQueryParameters({ rawQuery: 'Action=DeleteUser', body: 'Action=CreateUser', contentType: 'application/x-www-form-urlencoded' }),
      ).code,
    ).toBe('InvalidQueryParameter');
  });

  it('refuses another charset', () => {
    expect(
      errorOf(() => readQueryParameters({ rawQuery: '', body: 'a=1', contentType: 'application/x-www-form-urlencoded; charset=iso-8859-1' })).code,
    ).toBe('InvalidQueryParameter');
  });
});

describe('decodeQueryInput', () => {
  it('decodes a CreateUser call with tags, typed', () => {
    const { input, unknownParameters } = decodeQueryInput(
      CreateUser,
      params(
        'Action=CreateUser&Version=2010-05-08&UserName=alice&Path=%2Fdivision%2F' +
          '&Tags.member.2.Key=team&Tags.member.2.Value=blue+green&Tags.member.1.Key=cost-center&Tags.member.1.Value=',
      ),
    );
    const name: string = input.UserName;
    const tags: { Key: string; Value: string }[] | undefined = input.Tags;
    // @ts-expect-error UserName is a string, not a number
    const notANumber: number = input.UserName;
    // @ts-expect-error PermissionsBoundary is optional
    const required: string = input.PermissionsBoundary;
    void notANumber;
    void required;
    expect(name).toBe('alice');
    expect(tags).toEqual([
      { Key: 'cost-center', Value: '' },
      { Key: 'team', Value: 'blue green' },
    ]);
    expect(input).toEqual({ Path: '/division/', UserName: 'alice', Tags: tags });
    expect(unknownParameters).toEqual([]);
  });

  it('decodes an empty list sent as "Name="', () => {
    expect(decodeQueryInput(CreateUser, params('UserName=a&Tags=')).input).toEqual({ UserName: 'a', Tags: [] });
  });

  it('decodes nested lists of structures', () => {
    const { input } = decodeQueryInput(
      SimulateCustomPolicy,
      params(
        'PolicyInputList.member.1=%7B%7D&ActionNames.member.1=iam%3AGetUser&ActionNames.member.2=s3%3A*' +
          '&ContextEntries.member.1.ContextKeyName=aws%3ASourceIp&ContextEntries.member.1.ContextKeyType=ipList' +
          '&ContextEntries.member.1.ContextKeyValues.member.1=10.0.0.1&ContextEntries.member.1.ContextKeyValues.member.2=10.0.0.2' +
          '&ContextEntries.member.2.ContextKeyName=aws%3AUserAgent&ContextEntries.member.2.ContextKeyValues=',
      ),
    );
    expect(input).toEqual({
      PolicyInputList: ['{}'],
      ActionNames: ['iam:GetUser', 's3:*'],
      ContextEntries: [
        { ContextKeyName: 'aws:SourceIp', ContextKeyType: 'ipList', ContextKeyValues: ['10.0.0.1', '10.0.0.2'] },
        { ContextKeyName: 'aws:UserAgent', ContextKeyValues: [] },
      ],
    });
    const type: Infer<typeof SimulateCustomPolicy>['ContextEntries'] = input.ContextEntries;
    expect(type?.[0].ContextKeyType).toBe('ipList');
    // @ts-expect-error an enum decodes to the union of its values
    const wrongEnum: 'nope' | undefined = type?.[0].ContextKeyType;
    void wrongEnum;
  });

  it('decodes scalars and maps', () => {
    const { input } = decodeQueryInput(
      Misc,
      params(
        'Flag=TRUE&When=2026-11-28T01%3A02%3A03.5%2B01%3A00&Password=secret-123&Status=Active' +
          '&Labels.entry.1.key=a&Labels.entry.1.value=x&Labels.entry.2.key=b&Labels.entry.2.value=&Nested.Inner=-3',
      ),
    );
    expect(input.Flag).toBe(true);
    expect(input.When?.toISOString()).toBe('2026-11-28T00:02:03.500Z');
    expect(input.Labels).toEqual(new Map([['a', 'x'], ['b', '']]));
    expect(input.Nested).toEqual({ Inner: -3 });
    expect(input.Status).toBe('Active');
  });

  it('reports unknown parameters but not Action and Version', () => {
    const { unknownParameters } = decodeQueryInput(
      ListUsers,
      params('Action=ListUsers&Version=2010-05-08&Foo=1&MaxItems=5&PathPrefix.x=1&Marker=m&Tags.member.1=x'),
    );
    expect(unknownParameters).toEqual(['Foo', 'PathPrefix.x', 'Tags.member.1']);
  });

  it('lets the caller choose which parameters to ignore', () => {
    expect(decodeQueryInput(ListUsers, params('Action=ListUsers'), { ignore: [] }).unknownParameters).toEqual(['Action']);
  });

  describe('list numbering', () => {
    it.each([
      ['Tags.member.1.Key=a&Tags.member.1.Value=b&Tags.member.3.Key=c&Tags.member.3.Value=d', "'Tags.member.3' is out of sequence"],
      ['Tags.member.2.Key=a&Tags.member.2.Value=b', "'Tags.member.2' is out of sequence"],
      ['Tags.member.0.Key=a&Tags.member.0.Value=b', "'Tags.member.0' has an invalid index"],
      ['Tags.member.01.Key=a&Tags.member.01.Value=b', "'Tags.member.01' has an invalid index"],
      ['Tags.member.x.Key=a', "'Tags.member.x' has an invalid index"],
      ['Tags=x', "'Tags' must be sent as 'Tags.member.N'"],
    ])('refuses %p', (text, message) => {
      const error = errorOf(() => decodeQueryInput(CreateUser, params(`UserName=u&${text}`)));
      expect(error.code).toBe('InvalidQueryParameter');
      expect(error.message).toContain(message);
    });

    it('refuses a map entry without its value', () => {
      expect(errorOf(() => decodeQueryInput(Misc, params('Labels.entry.1.key=a'))).message).toBe(
        "The parameter 'Labels.entry.1.value' is missing.",
      );
    });
  });

  describe('validation messages', () => {
    function messageOf(shapeParams: string, shape: Parameters<typeof decodeQueryInput>[0] = CreateUser): string {
      const error = errorOf(() => decodeQueryInput(shape, params(shapeParams)));
      expect(error).toBeInstanceOf(QueryValidationError);
      expect(error.code).toBe('ValidationError');
      return error.message;
    }

    it('words a pattern failure as AWS does', () => {
      expect(messageOf('UserName=a+b')).toBe(
        "1 validation error detected: Value 'a b' at 'userName' failed to satisfy constraint: " +
          'Member must satisfy regular expression pattern: [\\w+=,.@-]+',
      );
    });

    it('reports a missing required member', () => {
      expect(messageOf('Path=%2F')).toBe(
        "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null",
      );
    });

    it('joins several errors with semicolons', () => {
      expect(messageOf(`UserName=${'x'.repeat(65)}&Path=nope&Tags.member.1.Key=&Tags.member.1.Value=ok`)).toBe(
        '4 validation errors detected: ' +
          "Value 'nope' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F); " +
          `Value '${'x'.repeat(65)}' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64; ` +
          "Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
          "Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+",
      );
    });

    it('words ranges, enums, sizes and types', () => {
      expect(messageOf('MaxItems=1001', ListUsers)).toBe(
        "1 validation error detected: Value '1001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000",
      );
      expect(messageOf('MaxItems=ten', ListUsers)).toBe(
        "1 validation error detected: Value 'ten' at 'maxItems' failed to satisfy constraint: Member must be an integer",
      );
      expect(messageOf('Status=active&Flag=yes&When=yesterday&Nested.Other=1', Misc)).toBe(
        '4 validation errors detected: ' +
          "Value 'yes' at 'flag' failed to satisfy constraint: Member must be a boolean; " +
          "Value 'yesterday' at 'when' failed to satisfy constraint: Member must be an ISO 8601 timestamp; " +
          "Value 'active' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]; " +
          "Value null at 'nested.inner' failed to satisfy constraint: Member must not be null",
      );
      expect(
        messageOf('Labels.entry.1.key=a&Labels.entry.1.value=&Labels.entry.2.key=b&Labels.entry.2.value=&Labels.entry.3.key=c&Labels.entry.3.value=', Misc),
      ).toBe("1 validation error detected: Value at 'labels' failed to satisfy constraint: Member must have length less than or equal to 2");
    });

    it('never echoes a sensitive value', () => {
      expect(messageOf('Password=short', Misc)).toBe(
        "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length greater than or equal to 8",
      );
    });

    it('exposes the issues', () => {
      const error = errorOf(() => decodeQueryInput(CreateUser, params(''))) as QueryValidationError;
      expect(error.issues).toEqual([{ path: 'userName', value: null, constraint: 'Member must not be null' }]);
    });
  });

  it('round-trips any valid CreateUser input (property)', () => {
    const tagText = fc.string({ unit: fc.constantFrom(...'abcXYZ09 _.:/=+-@é'.split('')), minLength: 1, maxLength: 20 });
    const input = fc.record(
      {
        UserName: fc.stringMatching(/^[\w+=,.@-]{1,64}$/),
        Path: fc.constantFrom('/', '/a/', '/division/team 1/'.replace(' ', '_')),
        Tags: fc.array(fc.record({ Key: tagText, Value: fc.oneof(fc.constant(''), tagText) }), { maxLength: 5 }),
      },
      { requiredKeys: ['UserName'] },
    );
    fc.assert(
      fc.property(input, (value) => {
        const flat: [string, string][] = [['Action', 'CreateUser']];
        flat.push(['UserName', value.UserName]);
        if (value.Path !== undefined) flat.push(['Path', value.Path]);
        if (value.Tags !== undefined) {
          if (value.Tags.length === 0) flat.push(['Tags', '']);
          value.Tags.forEach((t, i) => {
            flat.push([`Tags.member.${i + 1}.Key`, t.Key]);
            flat.push([`Tags.member.${i + 1}.Value`, t.Value]);
          });
        }
        const body = flat.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        const decoded = decodeQueryInput(CreateUser, parseFormUrlEncoded(body));
        expect(decoded.input).toEqual(value);
        expect(decoded.unknownParameters).toEqual([]);
        expect(validateShape(CreateUser, decoded.input)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('validateShape', () => {
  it('validates plain JS values with the same shapes and wording', () => {
    const issues = validateShape(CreateUser, { UserName: 'a b', Tags: [{ Key: 'k' }] });
    expect(formatValidationMessage(issues)).toBe(
      "2 validation errors detected: Value 'a b' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+; " +
        "Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null",
    );
  });

  it('reports a value of the wrong type', () => {
    expect(validateShape(ListUsers, { MaxItems: '10' })).toEqual([
      { path: 'maxItems', value: undefined, constraint: 'Member must be of type integer' },
    ]);
  });
});
