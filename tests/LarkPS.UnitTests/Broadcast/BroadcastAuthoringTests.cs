using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using LarkPS.Api;
using LarkPS.Authoring;
using LarkPS.Broadcast;
using LarkPS.Commands.Support;
using LarkPS.Messages;
using Xunit;

namespace LarkPS.UnitTests.Broadcast;

/// <summary>
/// Send-LarkBroadcast's content and receivers without PowerShell (issue 23): markdown becomes a card with a markdown
/// component (a batch post has no md node), mentions are written by ItemAuthoring as for Send-LarkMessage, phone numbers
/// are normalized as Send-LarkMessage normalizes them, and no receiver is reached twice (BroadcastCoverage).
/// </summary>
public class BroadcastAuthoringTests
{
    private const string Alice = "ou_94e54bbce8572323ffd2743ed383ebd7";
    private const string Bob = "ou_7d8a6e6df7621556ce0d21922b676706";
    private const string Outside = "ou_00000000000000000000000000000001";
    private const string AliceUnion = "on_94e54bbce8572323ffd2743ed383ebd7";

    private static (MessageValidationResult Result, MessageInput Input) Prepare(MessageInput input, ItemAuthoring authoring)
    {
        input.ReceiveType ??= ReceiveTypes.User;
        input.ReceiveId ??= OutgoingMessage.PlaceholderOpenId;
        authoring.Apply(input);
        return (MessageValidator.Validate(input, null), input);
    }

    private static JsonElement BatchCard(MessageValidationResult result)
    {
        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        var batch = BroadcastContent.From(result.Message!.MsgType, result.Message.ContentUtf8);
        Assert.Equal("card", batch.Field);
        return JsonDocument.Parse(batch.Json).RootElement;
    }

    [Fact]
    public void Markdown_for_a_batch_is_a_card_whose_markdown_component_holds_the_text_as_written_and_the_title_as_header()
    {
        var markdown = "# Maintenance\n\n**22:00** to 23:00, see [runbook](https://example.com/r)\n\n- db-01\n- db-02";
        var (result, input) = Prepare(new MessageInput { Markdown = markdown, Title = "Tonight" }, new ItemAuthoring(Array.Empty<Mention>(), Array.Empty<string>(), markdownAsCard: true));

        Assert.Equal("interactive", result.Message!.MsgType);
        var card = BatchCard(result);
        Assert.Equal("2.0", card.GetProperty("schema").GetString());
        Assert.Equal("Tonight", card.GetProperty("header").GetProperty("title").GetProperty("content").GetString());
        var element = Assert.Single(card.GetProperty("body").GetProperty("elements").EnumerateArray());
        Assert.Equal("markdown", element.GetProperty("tag").GetString());
        Assert.Equal(markdown, element.GetProperty("content").GetString());

        // A card's markdown shows headings: no note that it arrives as typed (the post path would say so).
        Assert.Empty(input.Notes);
    }

    [Fact]
    public void Markdown_without_a_title_is_a_card_without_a_header_and_mentions_follow_the_text_in_card_form()
    {
        var authoring = new ItemAuthoring(new[] { Mention.User(Alice), Mention.All }, Array.Empty<string>(), markdownAsCard: true);
        var (result, _) = Prepare(new MessageInput { Markdown = "Deploy done" }, authoring);

        var card = BatchCard(result);
        Assert.False(card.TryGetProperty("header", out _));
        var content = card.GetProperty("body").GetProperty("elements")[0].GetProperty("content").GetString();
        Assert.Equal("Deploy done\n<at id=" + Alice + "></at> <at id=all></at>", content);
    }

    [Fact]
    public void Markdown_beside_another_content_type_is_the_items_problem_naming_the_card()
    {
        var (result, _) = Prepare(new MessageInput { Markdown = "x", ContentType = "post" }, new ItemAuthoring(Array.Empty<Mention>(), Array.Empty<string>(), markdownAsCard: true));

        Assert.False(result.IsValid);
        Assert.Contains(result.Problems, p => p.Field == "contentType" && p.Problem.Contains("sent as a card", StringComparison.Ordinal));
    }

    [Fact]
    public void Mentions_in_a_batch_text_post_and_card_take_each_types_form()
    {
        var authoring = new ItemAuthoring(new[] { Mention.User(Alice) }, Array.Empty<string>(), markdownAsCard: true);

        var (text, _) = Prepare(new MessageInput { Text = "Hi" }, authoring);
        var textBatch = BroadcastContent.From(text.Message!.MsgType, text.Message.ContentUtf8);
        Assert.Equal("{\"text\":\"Hi <at user_id=\\\"" + Alice + "\\\"></at>\"}", Encoding.UTF8.GetString(textBatch.Json));

        var post = "{\"zh_cn\":{\"title\":\"T\",\"content\":[[{\"tag\":\"text\",\"text\":\"Hi\"}]]}}";
        var (posted, _) = Prepare(new MessageInput { ContentType = "post", Content = post }, authoring);
        var postBatch = JsonDocument.Parse(BroadcastContent.From("post", posted.Message!.ContentUtf8).Json).RootElement;
        var last = postBatch.GetProperty("post").GetProperty("zh_cn").GetProperty("content")[1][0];
        Assert.Equal("at", last.GetProperty("tag").GetString());
        Assert.Equal(Alice, last.GetProperty("user_id").GetString());

        var cardJson = new StatusCardBuilder("Deploy").Build().ToJson();
        var (carded, _) = Prepare(new MessageInput { ContentType = "interactive", Content = cardJson }, authoring);
        var elements = BatchCard(carded).GetProperty("body").GetProperty("elements");
        Assert.Equal("<at id=" + Alice + "></at>", elements[elements.GetArrayLength() - 1].GetProperty("content").GetString());
    }

    [Theory]
    [InlineData("+86 138-0000-0001", "+8613800000001", "13800000001")]
    [InlineData("13800000001", "+8613800000001", "13800000001")]
    [InlineData("+1 (415) 555-0100", "+14155550100", "+14155550100")]
    public void A_phone_receiver_is_one_spelling_per_number_and_looked_up_as_Lark_takes_it(string given, string id, string lookedUp)
    {
        var receiver = BroadcastInputs.FromPhone(given, given);

        Assert.Null(receiver.Reason);
        Assert.Equal(BroadcastRun.Phone, receiver.Kind);
        Assert.Equal(id, receiver.Id);
        Assert.Equal(given.Trim(), receiver.Input);
        Assert.Equal(lookedUp, BroadcastInputs.LookupValueOf(receiver));
        Assert.Single(BroadcastRun.Distinct(new[] { BroadcastInputs.FromPhone("+8613800000001", null), BroadcastInputs.FromPhone("138 0000 0001", null) }));
    }

    [Fact]
    public void A_phone_receiver_that_is_no_number_names_it_and_the_shape_wanted()
    {
        var receiver = BroadcastInputs.FromPhone("call me", "call me");

        Assert.NotNull(receiver.Reason);
        Assert.Contains("'call me'", receiver.Reason, StringComparison.Ordinal);
        Assert.StartsWith("Give ", receiver.Fix, StringComparison.Ordinal);
        Assert.Contains("country code", receiver.Fix, StringComparison.Ordinal);
        Assert.DoesNotContain("call me", receiver.Fix, StringComparison.Ordinal);
        Assert.Equal(BroadcastRun.Phone, BroadcastInputs.FromString("+1 415 555 0100", null).Kind);
    }

    // Engineering (Alice) > Platform (Bob); Sales elsewhere.
    private static readonly LarkDepartment Engineering = new("Engineering", "od-eng", "D100", "0", 2, 1) { Path = "Engineering" };
    private static readonly LarkDepartment Platform = new("Platform", "od-plat", "D110", "od-eng", 1, 1) { Path = "Engineering/Platform", Depth = 1 };
    private static readonly LarkDepartment Sales = new("Sales", "od-sales", "D200", "0", 0, 0) { Path = "Sales" };

    private static readonly Dictionary<string, string[]> Members = new()
    {
        ["od-eng"] = new[] { Alice },
        ["od-plat"] = new[] { Bob },
        ["od-sales"] = Array.Empty<string>(),
    };

    private static BroadcastCoverage Coverage(List<string> asked, Exception? membersFail = null) => new(
        _ => Task.FromResult<IReadOnlyList<LarkDepartment>>(new[] { Engineering, Platform, Sales }),
        (department, _) =>
        {
            asked.Add(department.OpenDepartmentId);
            return membersFail is not null
                ? Task.FromException<IReadOnlyList<LarkUser>>(membersFail)
                : Task.FromResult<IReadOnlyList<LarkUser>>(Members[department.OpenDepartmentId]
                    .Select(id => new LarkUser(id, "OpenId", null, id, LarkUserStatus.Found, null) { UnionId = "on_" + id.Remove(0, 3) }).ToList());
        });

    [Fact]
    public void A_department_name_two_departments_share_is_an_error_naming_both_and_the_path_or_id_picks_one()
    {
        var platformToo = new LarkDepartment("Platform", "od-plat2", "D210", "od-sales", 0, 0) { Path = "Sales/Platform", Depth = 1 };
        var tree = new[] { Engineering, Platform, Sales, platformToo };
        var errors = new List<System.Management.Automation.ErrorRecord>();

        var chosen = BroadcastInputs.ResolveDepartments(new[] { "Platform", "sales/platform", "D110" }, tree, errors.Add);

        var error = Assert.Single(errors);
        Assert.Equal(ErrorIds.DepartmentAmbiguous, error.FullyQualifiedErrorId);
        Assert.Equal("'Platform' names 2 departments: Engineering/Platform (od-plat), Sales/Platform (od-plat2).", error.Exception.Message);
        Assert.StartsWith("Give the department's path", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal(new[] { "od-plat2", "od-plat" }, chosen.Select(d => d.OpenDepartmentId));
    }

    [Fact]
    public void An_unknown_department_name_is_an_error_offering_the_names_like_it()
    {
        var errors = new List<System.Management.Automation.ErrorRecord>();

        var chosen = BroadcastInputs.ResolveDepartments(new[] { "Enginering", "engineering/platfrom", "Marketing" }, new[] { Engineering, Platform, Sales }, errors.Add);

        Assert.Empty(chosen);
        Assert.All(errors, e => Assert.Equal(ErrorIds.DepartmentNotFound, e.FullyQualifiedErrorId));
        Assert.Equal(
            new[]
            {
                "No department named 'Enginering' is in the tree the app sees. Similar: 'Engineering' (od-eng).",
                "No department named 'engineering/platfrom' is in the tree the app sees. Similar: 'Engineering/Platform' (od-plat), 'Engineering' (od-eng).",
                "No department named 'Marketing' is in the tree the app sees.",
            },
            errors.Select(e => e.Exception.Message).ToArray());
    }

    [Fact]
    public void Two_departments_whose_paths_read_alike_are_told_apart_by_their_id_only()
    {
        // A top-level department named "Engineering/Platform" reads like Engineering's Platform.
        var slashed = new LarkDepartment("Engineering/Platform", "od-slash", null, "0", 0, 0) { Path = "Engineering/Platform" };
        var tree = new[] { Engineering, Platform, Sales, slashed };
        var errors = new List<System.Management.Automation.ErrorRecord>();

        var chosen = BroadcastInputs.ResolveDepartments(new[] { "Engineering/Platform", "od-slash" }, tree, errors.Add);

        var error = Assert.Single(errors);
        Assert.Equal(ErrorIds.DepartmentAmbiguous, error.FullyQualifiedErrorId);
        Assert.Contains("open_department_id", error.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.DoesNotContain("path", error.ErrorDetails.RecommendedAction.Replace("paths read alike", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal("od-slash", Assert.Single(chosen).OpenDepartmentId);
    }

    private static LarkBroadcastReceiver Department(string id) => new(BroadcastRun.Department, id, id, null);

    private static LarkBroadcastReceiver User(string kind, string id) => new(kind, id, id, null);

    [Fact]
    public async Task Users_a_department_reaches_through_its_subtree_are_left_out_and_the_rest_kept_in_order()
    {
        var asked = new List<string>();
        var ready = new[] { User(BroadcastRun.OpenId, Outside), Department("od-eng"), User(BroadcastRun.OpenId, Bob), User(BroadcastRun.UnionId, AliceUnion) };

        var result = await Coverage(asked).PruneAsync(ready, CancellationToken.None);

        Assert.Null(result.Warning);
        Assert.Equal(new[] { Outside, "od-eng" }, result.Kept.Select(r => r.Id));
        Assert.Equal(new[] { Bob, AliceUnion }, result.Covered.Select(r => r.Id));
        Assert.All(result.Covered, r => Assert.Contains("Engineering (od-eng)", r.Reason, StringComparison.Ordinal));
        Assert.Equal(new[] { "od-eng", "od-plat" }, asked);
    }

    [Fact]
    public async Task A_department_inside_another_given_is_left_out_without_reading_members_when_there_are_no_users()
    {
        var asked = new List<string>();
        var result = await Coverage(asked).PruneAsync(new[] { Department("od-plat"), Department("od-eng"), Department("od-sales") }, CancellationToken.None);

        Assert.Equal(new[] { "od-eng", "od-sales" }, result.Kept.Select(r => r.Id));
        var nested = Assert.Single(result.Covered);
        Assert.Equal("od-plat", nested.Id);
        Assert.Contains("inside department Engineering", nested.Reason, StringComparison.Ordinal);
        Assert.Empty(asked);
    }

    [Fact]
    public async Task Users_only_read_no_directory_and_a_failed_member_read_keeps_the_users_with_a_warning()
    {
        var asked = new List<string>();
        var users = await Coverage(asked).PruneAsync(new[] { User(BroadcastRun.OpenId, Bob) }, CancellationToken.None);
        Assert.Single(users.Kept);
        Assert.Empty(asked);

        var refused = new LarkApiException("no authority over the department", 40004, "no dept authority", System.Net.HttpStatusCode.Forbidden, "log");
        var result = await Coverage(asked, refused).PruneAsync(new[] { Department("od-eng"), User(BroadcastRun.OpenId, Bob) }, CancellationToken.None);

        Assert.Equal(new[] { "od-eng", Bob }, result.Kept.Select(r => r.Id));
        Assert.Empty(result.Covered);
        Assert.Contains("no authority over the department", result.Warning, StringComparison.Ordinal);
    }
}
