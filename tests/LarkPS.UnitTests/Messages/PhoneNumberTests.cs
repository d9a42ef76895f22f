using LarkPS.Messages;
using Xunit;

namespace LarkPS.UnitTests.Messages;

public class PhoneNumberTests
{
    [Theory]
    [InlineData("13800000001", "13800000001", "+8613800000001")]
    [InlineData("138 0000 0001", "13800000001", "+8613800000001")]
    [InlineData("138-0000-0001", "13800000001", "+8613800000001")]
    [InlineData("+86 138 0000 0001", "13800000001", "+8613800000001")]
    [InlineData("+86-138-0000-0001", "13800000001", "+8613800000001")]
    [InlineData("(+86) 13800000001", "13800000001", "+8613800000001")]
    [InlineData("0086 13800000001", "13800000001", "+8613800000001")]
    [InlineData("008613800000001", "13800000001", "+8613800000001")]
    [InlineData("8613800000001", "13800000001", "+8613800000001")]
    [InlineData("86 138 0000 0001", "13800000001", "+8613800000001")]
    [InlineData("  13800000001  ", "13800000001", "+8613800000001")]
    public void Mainland_numbers_are_looked_up_bare_with_a_plus86_key(string text, string lookup, string key)
    {
        var phone = PhoneNumber.TryParse(text, out var problem);

        Assert.Null(problem);
        Assert.NotNull(phone);
        Assert.True(phone!.IsMainlandChina);
        Assert.Equal(lookup, phone.LookupValue);
        Assert.Equal(key, phone.CanonicalKey);
        Assert.Equal(text.Trim(), phone.Original);
    }

    [Theory]
    [InlineData("+1 415-555-0100", "+14155550100")]
    [InlineData("+1 (415) 555-0100", "+14155550100")]
    [InlineData("+1.415.555.0100", "+14155550100")]
    [InlineData("001 415 555 0100", "+14155550100")]
    [InlineData("+44 20 7946 0958", "+442079460958")]
    [InlineData("+852 9123 4567", "+85291234567")]
    public void International_numbers_keep_plus_and_country_code(string text, string expected)
    {
        var phone = PhoneNumber.TryParse(text, out var problem);

        Assert.Null(problem);
        Assert.False(phone!.IsMainlandChina);
        Assert.Equal(expected, phone.LookupValue);
        Assert.Equal(expected, phone.CanonicalKey);
    }

    [Theory]
    [InlineData("12345", "is not a mainland China mobile number")]
    [InlineData("4155550100", "is not a mainland China mobile number")]
    [InlineData("23800000001", "is not a mainland China mobile number")]
    [InlineData("138000000012", "is not a mainland China mobile number")]
    [InlineData("+1", "has 1 digit after the '+'")]
    [InlineData("+", "has no digits after the '+'")]
    [InlineData("+ - ( )", "has no digits after the '+'")]
    [InlineData("+86 12345", "is a +86 number but not an 11-digit mobile number")]
    [InlineData("+0 123 4567 890", "country code starting with 0")]
    [InlineData("+1 234 567 890 123 456", "has 16 digits")]
    [InlineData("138-0000-000a", "has 'a', which is not part of a phone number")]
    [InlineData("+1 415 555 0100 ext 2", "has 'e'")]
    [InlineData("1+3800000001", "has '+'")]
    [InlineData("", "is missing")]
    [InlineData("   ", "is missing")]
    [InlineData(null, "is missing")]
    public void Other_shapes_are_problems_that_say_what_is_wrong(string? text, string expectedFragment)
    {
        var phone = PhoneNumber.TryParse(text, out var problem);

        Assert.Null(phone);
        Assert.NotNull(problem);
        Assert.Contains(expectedFragment, problem!, StringComparison.Ordinal);
    }

    [Fact]
    public void Spellings_of_one_number_are_equal()
    {
        var a = PhoneNumber.TryParse("+86 138 0000 0001", out _)!;
        var b = PhoneNumber.TryParse("13800000001", out _)!;
        var c = PhoneNumber.TryParse("+14155550100", out _)!;

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        Assert.Equal("+8613800000001", a.ToString());
    }

    [Fact]
    public void The_expected_shape_names_both_forms()
    {
        Assert.Contains("11 digits starting with 1", PhoneNumber.ExpectedShape, StringComparison.Ordinal);
        Assert.Contains("country code", PhoneNumber.ExpectedShape, StringComparison.Ordinal);
    }
}
