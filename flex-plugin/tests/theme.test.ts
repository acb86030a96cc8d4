import { DARK, LIGHT, themeOf } from '../src/theme';

describe("Flex's theme", () => {
  test("follows the base theme and the customer's token overrides", () => {
    expect(themeOf(undefined)).toEqual(LIGHT);
    expect(themeOf({ isLight: false })).toEqual(DARK);
    const branded = themeOf({ tokens: { backgroundColors: { colorBackgroundPrimary: '#6E3FF3', other: 'x' } } });
    expect(branded.colorBackgroundPrimary).toBe('#6E3FF3');
    expect(branded.colorBackgroundBody).toBe(LIGHT.colorBackgroundBody);
  });
});
