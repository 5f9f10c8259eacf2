import { describe, expect, it } from 'vitest';
import { matchesPattern, validatePattern, type EventPattern } from '../../../lib/core/events/pattern.js';

/** The EC2 state-change event the EventBridge user guide uses throughout its pattern examples. */
const ec2 = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};
const withDetail = (detail: Record<string, unknown>) => ({ ...ec2, detail });

type Case = [name: string, pattern: EventPattern, event: unknown, expected: boolean];

// Cases from the EventBridge user guide's operator examples ("Content filtering in event patterns",
// "Comparison operators", "Matching arrays"); a few counter-examples added per operator.
const cases: Case[] = [
  // exact values, AND / OR
  ['exact source matches', { source: ['aws.ec2'] }, ec2, true],
  ['exact source differs', { source: ['aws.s3'] }, ec2, false],
  ['array of values is OR', { source: ['aws.s3', 'aws.ec2'] }, ec2, true],
  ['fields are AND (one fails)', { source: ['aws.ec2'], 'detail-type': ['AWS API Call via CloudTrail'] }, ec2, false],
  ['nested detail value', { detail: { state: ['terminated'] } }, ec2, true],
  ['nested detail value differs', { detail: { state: ['running'] } }, ec2, false],
  ['account and region', { account: ['111122223333'], region: ['us-west-1', 'us-east-1'] }, ec2, true],
  ['resources array: any element', { resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0', 'arn:other'] }, ec2, true],
  ['resources array: none', { resources: ['arn:other'] }, ec2, false],
  ['exact number', { detail: { 'c-count': [5] } }, withDetail({ 'c-count': 5 }), true],
  ['number is not the string', { detail: { 'c-count': ['5'] } }, withDetail({ 'c-count': 5 }), false],
  ['boolean value', { detail: { enabled: [true] } }, withDetail({ enabled: true }), true],
  ['null matches explicit null', { detail: { UserID: [null] } }, withDetail({ UserID: null }), true],
  ['null does not match a missing field', { detail: { UserID: [null] } }, withDetail({}), false],
  ['empty string matches empty string', { detail: { LastName: [''] } }, withDetail({ LastName: '' }), true],
  ['empty string does not match null', { detail: { LastName: [''] } }, withDetail({ LastName: null }), false],
  ['missing field never matches a value', { detail: { state: ['terminated'] } }, { source: 'aws.ec2' }, false],
  // prefix / suffix
  ['prefix on time', { time: [{ prefix: '2017-12-22' }] }, ec2, true],
  ['prefix mismatch', { time: [{ prefix: '2018' }] }, ec2, false],
  ['prefix ignore case', { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } }, withDetail({ service: 'eventbridge' }), true],
  ['prefix is case sensitive', { detail: { service: [{ prefix: 'EventB' }] } }, withDetail({ service: 'eventbridge' }), false],
  ['suffix .png', { detail: { FileName: [{ suffix: '.png' }] } }, withDetail({ FileName: 'image.png' }), true],
  ['suffix ignore case', { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, withDetail({ FileName: 'IMAGE.PNG' }), true],
  ['suffix never matches a number', { detail: { n: [{ suffix: '5' }] } }, withDetail({ n: 15 }), false],
  // equals-ignore-case
  ['equals-ignore-case', { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] }, ec2, true],
  ['equals-ignore-case is not prefix', { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance' }] }, ec2, false],
  // wildcard
  ['wildcard in the middle', { detail: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] } }, withDetail({ EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' }), true],
  ['wildcard mismatch', { detail: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] } }, withDetail({ EventBusArn: 'arn:aws:events:eu-west-1:123456789012:event-bus/default' }), false],
  ['wildcard file path', { detail: { FilePath: [{ wildcard: 'dir/*.png' }] } }, withDetail({ FilePath: 'dir/sub/a.png' }), true],
  ['escaped star is literal', { detail: { v: [{ wildcard: 'a\\*b' }] } }, withDetail({ v: 'a*b' }), true],
  ['escaped star is not a wildcard', { detail: { v: [{ wildcard: 'a\\*b' }] } }, withDetail({ v: 'axxb' }), false],
  // anything-but
  ['anything-but string', { detail: { state: [{ 'anything-but': 'initializing' }] } }, ec2, true],
  ['anything-but string excludes it', { detail: { state: [{ 'anything-but': 'terminated' }] } }, ec2, false],
  ['anything-but number', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, withDetail({ 'x-limit': 456 }), true],
  ['anything-but number excludes it', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, withDetail({ 'x-limit': 123 }), false],
  ['anything-but string list', { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, withDetail({ state: 'overloaded' }), false],
  ['anything-but number list', { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, withDetail({ 'x-limit': 150 }), true],
  ['anything-but prefix (serverless-offline got this wrong)', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, withDetail({ state: 'initializing' }), false],
  ['anything-but prefix lets others through', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, withDetail({ state: 'running' }), true],
  ['anything-but suffix', { detail: { FileName: [{ 'anything-but': { suffix: '.png' } }] } }, withDetail({ FileName: 'a.png' }), false],
  ['anything-but equals-ignore-case', { detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] } }, withDetail({ state: 'INITIALIZING' }), false],
  ['anything-but equals-ignore-case list', { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } }] } }, withDetail({ state: 'running' }), true],
  ['anything-but wildcard (serverless-offline had none)', { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } }, withDetail({ FilePath: '/usr/lib/x.so' }), false],
  ['anything-but wildcard lets others through', { detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } }, withDetail({ FilePath: '/usr/bin/x' }), true],
  ['anything-but matches an explicit null', { detail: { command: [{ 'anything-but': ['no-message'] }] } }, withDetail({ command: null }), true],
  ['anything-but needs the field', { detail: { command: [{ 'anything-but': ['no-message'] }] } }, withDetail({}), false],
  ['anything-but prefix needs the field', { detail: { state: [{ 'anything-but': { suffix: 'x' } }] } }, withDetail({}), false],
  // numeric
  ['numeric range', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, withDetail({ 'c-count': 5 }), true],
  ['numeric range upper bound', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, withDetail({ 'c-count': 5.01 }), false],
  ['numeric less-than', { detail: { 'd-count': [{ numeric: ['<', 10] }] } }, withDetail({ 'd-count': 9.99 }), true],
  ['numeric equals', { detail: { 'x-limit': [{ numeric: ['=', 3.018e2] }] } }, withDetail({ 'x-limit': 301.8 }), true],
  ['numeric never matches a string', { detail: { 'x-limit': [{ numeric: ['>', 0] }] } }, withDetail({ 'x-limit': '5' }), false],
  ['numeric >= with negative bound', { detail: { p: [{ numeric: ['>=', -1] }] } }, withDetail({ p: -1 }), true],
  // exists
  ['exists true', { detail: { state: [{ exists: true }] } }, ec2, true],
  ['exists true on a missing field', { detail: { state: [{ exists: true }] } }, withDetail({}), false],
  ['exists false on a missing field', { detail: { state: [{ exists: false }] } }, withDetail({}), true],
  ['exists false on a present field', { detail: { state: [{ exists: false }] } }, ec2, false],
  ['exists true on null', { detail: { state: [{ exists: true }] } }, withDetail({ state: null }), true],
  ['exists false when detail is missing', { detail: { state: [{ exists: false }] } }, { source: 'aws.ec2' }, true],
  // cidr (serverless-offline had none)
  ['cidr IPv4 inside', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, withDetail({ 'source-ip': '10.0.0.255' }), true],
  ['cidr IPv4 outside', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } }, withDetail({ 'source-ip': '10.0.1.1' }), false],
  ['cidr IPv6 inside', { detail: { 'source-ip': [{ cidr: 'bcde:6789:1:2::/64' }] } }, withDetail({ 'source-ip': 'bcde:6789:1:2:a:b:c:d' }), true],
  ['cidr IPv6 outside', { detail: { 'source-ip': [{ cidr: 'bcde:6789:1:2::/64' }] } }, withDetail({ 'source-ip': 'bcde:6789:1:3::1' }), false],
  ['cidr IPv4 block does not match an IPv6 address', { detail: { ip: [{ cidr: '0.0.0.0/0' }] } }, withDetail({ ip: '::1' }), false],
  ['cidr on a non-IP string', { detail: { ip: [{ cidr: '10.0.0.0/8' }] } }, withDetail({ ip: 'not-an-ip' }), false],
  // $or
  ['$or inside detail: first branch', { detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }] } }, withDetail({ 'c-count': 3 }), true],
  ['$or inside detail: second branch', { detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }] } }, withDetail({ 'c-count': 30, 'd-count': 2 }), true],
  ['$or inside detail: neither', { detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }] } }, withDetail({ 'c-count': 30, 'd-count': 20 }), false],
  ['top-level $or (serverless-offline got this wrong)', { $or: [{ source: ['aws.s3'] }, { detail: { state: ['terminated'] } }] }, ec2, true],
  ['top-level $or with no branch', { $or: [{ source: ['aws.s3'] }, { 'detail-type': ['Other'] }] }, ec2, false],
  ['$or combined with AND fields', { source: ['aws.ec2'], $or: [{ region: ['eu-west-1'] }, { account: ['111122223333'] }] }, ec2, true],
  // arrays in the event
  ['event array: any element matches a value', { detail: { tags: ['b'] } }, withDetail({ tags: ['a', 'b'] }), true],
  ['event array: intersection empty', { detail: { tags: ['c'] } }, withDetail({ tags: ['a', 'b'] }), false],
  ['event array of objects: fields match within one element', { detail: { items: { k: ['x'], v: [1] } } }, withDetail({ items: [{ k: 'x', v: 2 }, { k: 'y', v: 1 }] }), false],
  ['event array of objects: one element matches', { detail: { items: { k: ['x'], v: [1] } } }, withDetail({ items: [{ k: 'y', v: 2 }, { k: 'x', v: 1 }] }), true],
  ['empty event array has no values', { detail: { tags: [{ exists: true }] } }, withDetail({ tags: [] }), false],
];

describe('matchesPattern', () => {
  it('covers at least 40 documented cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases)('%s', (_name, pattern, event, expected) => {
    expect(validatePattern(pattern)).toEqual([]);
    expect(matchesPattern(pattern, event)).toBe(expected);
  });
});

describe('validatePattern', () => {
  it.each<[string, unknown, string]>([
    ['not an object', ['aws.ec2'], '(root)'],
    ['a bare string value', { source: 'aws.ec2' }, 'source'],
    ['an empty value list', { source: [] }, 'source'],
    ['an unknown operator', { source: [{ contains: 'x' }] }, 'source[0]'],
    ['two operators in one object', { source: [{ prefix: 'a', suffix: 'b' }] }, 'source[0]'],
    ['numeric with a string bound', { detail: { n: [{ numeric: ['>', 'x'] }] } }, 'detail.n[0].numeric'],
    ['numeric with the range reversed', { detail: { n: [{ numeric: ['<', 5, '>', 1] }] } }, 'detail.n[0].numeric'],
    ['numeric beyond ±5e9', { detail: { n: [{ numeric: ['>', 6e9] }] } }, 'detail.n[0].numeric'],
    ['exists with a string', { detail: { n: [{ exists: 'yes' }] } }, 'detail.n[0].exists'],
    ['a bad cidr', { detail: { ip: [{ cidr: '10.0.0.0/33' }] } }, 'detail.ip[0].cidr'],
    ['consecutive wildcards', { detail: { p: [{ wildcard: 'a**b' }] } }, 'detail.p[0].wildcard'],
    ['anything-but with a mixed list', { detail: { s: [{ 'anything-but': ['a', 1] }] } }, 'detail.s[0].anything-but'],
    ['anything-but prefix with a list', { detail: { s: [{ 'anything-but': { prefix: ['a'] } }] } }, 'detail.s[0].anything-but'],
    ['$or with one alternative', { $or: [{ source: ['a'] }] }, '$or'],
  ])('refuses %s', (_name, pattern, path) => {
    const issues = validatePattern(pattern);
    expect(issues.map((i) => i.path)).toContain(path);
  });
});
