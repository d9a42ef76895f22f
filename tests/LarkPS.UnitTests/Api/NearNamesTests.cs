using LarkPS.Api;
using Xunit;

namespace LarkPS.UnitTests.Api;

/// <summary>The names an error offers for a chat or department name that matches none.</summary>
public class NearNamesTests
{
    private static readonly string[] Names = { "Engineering", "Engineering Managers", "Ops alerts", "Sales", "Staff", "Site Reliability" };

    [Theory]
    [InlineData("Enginering", "Engineering")]
    [InlineData("engineering", "Engineering,Engineering Managers")]
    [InlineData("Ops alrets", "Ops alerts")]
    [InlineData("Ops", "Ops alerts")]
    [InlineData("Slaes", "Sales")]
    [InlineData("Site Reliabilty team", "")]
    [InlineData("Marketing", "")]
    [InlineData("Dev", "")]
    [InlineData("  ", "")]
    public void Offers_names_that_contain_the_word_or_lie_a_few_slips_away_closest_first(string given, string expected)
    {
        var found = NearNames.Find(Names, n => n, given);

        Assert.Equal(expected, string.Join(",", found));
    }

    [Fact]
    public void Names_holding_the_word_come_first_then_misspelt_ones_then_names_inside_it_and_the_list_is_bounded()
    {
        var names = new[] { "Opz", "Ops alerts", "Ops", "Op" }.Concat(Enumerable.Range(1, 20).Select(i => "Ops " + i)).ToList();

        Assert.Equal(new[] { "Ops alerts", "Ops", "Ops 1", "Ops 2", "Ops 3" }, NearNames.Find(names, n => n, "Ops", most: 5));
        Assert.Equal(new[] { "Ops alerts", "Opz", "Op" }, NearNames.Find(names.Take(4), n => n, "Opz alerts"));
    }

    [Theory]
    [InlineData("Sales", "Slaes", 1)]
    [InlineData("Sales", "Sale", 0)]
    [InlineData("Engineering", "Enginering", 1)]
    [InlineData("Engineering", "Engnieering", 1)]
    [InlineData("Staff", "Sales", 3)]
    public void Distance_counts_left_out_added_changed_and_swapped_letters(string name, string word, int expected)
    {
        Assert.Equal(expected, NearNames.Distance(name, word, allowed: 2) is var d && d > 2 ? 3 : d);
    }
}
