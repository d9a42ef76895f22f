using System.Management.Automation;
using System.Text;
using System.Text.Json;
using LarkPS.Api;
using LarkPS.Commands;
using LarkPS.Messages;
using LarkPS.UnitTests.Messages;
using Xunit;

namespace LarkPS.UnitTests.MessageOps;

/// <summary>The plain parts of issue 12: card flags, replies, what Set-LarkMessage sends, and the code table's rows.</summary>
public sealed class MessageOpsTests
{
    private const string ChatId = "oc_0123456789abcdef0123456789abcdef";

    private static OutgoingMessage Card(object content, bool updateMulti)
    {
        var result = MessageValidator.Validate(new MessageInput
        {
            ReceiveId = ChatId, ReceiveType = "chat", ContentType = "interactive", Content = content, UpdateMulti = updateMulti,
        });
        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        return result.Message!;
    }

    private static JsonElement Config(OutgoingMessage message) =>
        JsonDocument.Parse(message.ContentUtf8).RootElement.GetProperty("config");

    [Fact]
    public void An_updatable_card_gets_update_multi_in_its_one_write_and_keeps_everything_else()
    {
        var card = """{"header":{"title":{"tag":"plain_text","content":"Disk 93%"}},"config":{"wide_screen_mode":true,"update_multi":false},"elements":[{"tag":"hr"}]}""";

        var message = Card(card, updateMulti: true);

        Assert.Equal(
            """{"header":{"title":{"tag":"plain_text","content":"Disk 93%"}},"config":{"wide_screen_mode":true,"update_multi":true},"elements":[{"tag":"hr"}]}""",
            message.Content);
        Assert.Equal(CardSharing.Shared, CardFlags.Of(message.ContentUtf8));

        // The body is the one written with that content, and its size is what the check counted.
        using var body = JsonDocument.Parse(message.RequestBody);
        Assert.Equal(message.Content, body.RootElement.GetProperty("content").GetString());
    }

    [Fact]
    public void A_card_without_config_gets_one_and_a_dictionary_card_too()
    {
        var fromString = Card("""{"elements":[{"tag":"hr"}]}""", updateMulti: true);
        var fromDictionary = Card(new Dictionary<string, object?> { ["elements"] = new List<object?> { new Dictionary<string, object?> { ["tag"] = "hr" } } }, updateMulti: true);

        Assert.True(Config(fromString).GetProperty("update_multi").GetBoolean());
        Assert.True(Config(fromDictionary).GetProperty("update_multi").GetBoolean());
    }

    [Fact]
    public void Without_the_switch_a_card_goes_as_given_and_a_template_is_never_changed()
    {
        var plain = Card("""{"elements":[{"tag":"hr"}]}""", updateMulti: false);
        var template = Card("""{"type":"template","data":{"template_id":"AAqk1234"}}""", updateMulti: true);

        Assert.Equal("""{"elements":[{"tag":"hr"}]}""", plain.Content);
        Assert.Equal(CardSharing.NotShared, CardFlags.Of(plain.ContentUtf8));
        Assert.Equal("""{"type":"template","data":{"template_id":"AAqk1234"}}""", template.Content);
        Assert.Equal(CardSharing.Template, CardFlags.Of(template.ContentUtf8));
    }

    [Theory]
    [InlineData("""{"config":{"update_multi":true},"elements":[]}""", "Shared")]
    [InlineData("""{"config":{"update_multi":false},"elements":[]}""", "NotShared")]
    [InlineData("""{"config":{"nested":{"update_multi":true}},"elements":[]}""", "NotShared")]
    [InlineData("""{"elements":[{"config":{"update_multi":true}}]}""", "NotShared")]
    [InlineData("""{"type":"card","data":{"card_id":"c"}}""", "Template")]
    public void Only_a_top_level_update_multi_true_makes_a_card_shared(string card, string expected)
    {
        Assert.Equal(expected, CardFlags.Of(Encoding.UTF8.GetBytes(card)).ToString());
    }

    [Fact]
    public void A_reply_needs_no_receiver_and_has_the_reply_endpoint_body()
    {
        var result = MessageValidator.Validate(new MessageInput { ReplyTo = "om_parent", ReplyInThread = "True", Text = "ack", Uuid = "u-1" });

        Assert.True(result.IsValid, string.Join("; ", result.Problems));
        var message = result.Message!;
        Assert.Equal("om_parent", message.ReplyTo);
        Assert.True(message.ReplyInThread);
        Assert.Equal("""{"msg_type":"text","content":"{\"text\":\"ack\"}","reply_in_thread":true,"uuid":"u-1"}""", message.ToRequestBody());
        Assert.Equal(message.RequestBody.Length, message.SentBodyByteCount);
    }

    [Fact]
    public void A_reply_takes_the_generated_uuid_and_leaves_reply_in_thread_out_unless_asked()
    {
        var result = MessageValidator.Validate(new MessageInput { ReplyTo = "om_parent", Text = "ack" }, uuidIfNone: "0123456789abcdef0123456789abcdef");

        Assert.Equal("""{"msg_type":"text","content":"{\"text\":\"ack\"}","uuid":"0123456789abcdef0123456789abcdef"}""", result.Message!.ToRequestBody());
    }

    [Theory]
    [InlineData("om_parent", "ou_x", null, "receiveId")]
    [InlineData("om_parent", null, "maybe", "replyInThread")]
    [InlineData("oc_chat", null, null, "replyTo")]
    [InlineData(null, "ou_x", "true", "replyInThread")]
    public void A_reply_that_cannot_be_sent_names_the_field(string? replyTo, string? receiveId, string? inThread, string field)
    {
        var result = MessageValidator.Validate(new MessageInput { ReplyTo = replyTo, ReceiveId = receiveId, ReplyInThread = inThread, Text = "x" });

        Assert.False(result.IsValid);
        Assert.Contains(result.Problems, p => p.Field == field);
    }

    [Fact]
    public void Piped_items_reply_by_replyTo_or_parentId_and_the_parameters_fill_what_they_lack()
    {
        var item = new MessageInput { Text = "done", PropertyNames = new List<string> { "parentId", "text" } };
        item.ReplyTo = "om_item";
        var parameters = new MessageParameters { ReplyTo = "om_default", ReplyInThread = "true" };

        var own = Assert.Single(MessageDefaults.Apply(item, parameters));
        var filled = Assert.Single(MessageDefaults.Apply(new MessageInput { Text = "x", PropertyNames = new List<string> { "text" } }, parameters));

        Assert.Equal("om_item", own.ReplyTo);
        Assert.Equal("om_default", filled.ReplyTo);
        Assert.Equal("true", filled.ReplyInThread);

        // No "receiveId is missing" for a reply: it has no receiver of its own.
        Assert.Empty(own.ReadProblems);
        Assert.True(MessageValidator.Validate(own).IsValid);
        Assert.Equal(MessageInputField.ReplyTo, MessageInputFields.Find("parent_id"));
        Assert.Equal(MessageInputField.ReplyInThread, MessageInputFields.Find("reply_in_thread"));
    }

    [Fact]
    public void A_seed_body_may_say_replyInThread_as_a_JSON_boolean()
    {
        var input = Assert.Single(SeedBodyParser.Parse("""{"replyTo":"om_p","replyInThread":true,"content":"{\"text\":\"x\"}"}"""));

        Assert.Equal("true", input.ReplyInThread);
        Assert.True(MessageValidator.Validate(input).Message!.ReplyInThread);
    }

    [Theory]
    [InlineData("text", "{\"text\":\"v2\"}", false)]
    [InlineData("post", "{\"zh_cn\":{\"content\":[[{\"tag\":\"text\",\"text\":\"v2\"}]]}}", false)]
    [InlineData("interactive", "{\"elements\":[{\"tag\":\"hr\"}]}", true)]
    public void Text_and_post_are_edited_and_cards_updated_with_update_multi(string type, string content, bool isCard)
    {
        var change = MessageChange.Prepare(type, content, null);

        Assert.Null(change.Problem);
        Assert.Equal(isCard, change.IsCardUpdate);
        Assert.Equal(isCard ? CardSharing.Shared : CardSharing.NotShared, CardFlags.Of(change.ContentUtf8));
    }

    [Fact]
    public void The_edit_and_update_bodies_carry_the_content_as_Lark_wants_it()
    {
        var text = MessageChange.Prepare(null, null, "v2 \"quoted\"");
        var card = MessageChange.Prepare("interactive", """{"elements":[{"tag":"hr"}]}""", null);

        Assert.Equal("""{"msg_type":"text","content":"{\"text\":\"v2 \\\"quoted\\\"\"}"}""", Encoding.UTF8.GetString(MessageActions.EditBody(text.MsgType, text.ContentUtf8)));
        Assert.Equal("""{"content":"{\"elements\":[{\"tag\":\"hr\"}],\"config\":{\"update_multi\":true}}"}""", Encoding.UTF8.GetString(MessageActions.CardBody(card.ContentUtf8)));
        Assert.Equal("open-apis/im/v1/messages/om_a%2Fb", MessageActions.MessagePath("om_a/b"));
    }

    [Fact]
    public void Other_types_and_bad_content_are_refused_before_sending()
    {
        Assert.Contains("updates cards", MessageChange.Prepare("image", "{\"image_key\":\"img_x\"}", null).Problem, StringComparison.Ordinal);
        Assert.StartsWith("an image message cannot be changed", MessageChange.Prepare("image", "{\"image_key\":\"img_x\"}", null).Problem, StringComparison.Ordinal);
        Assert.Contains("not a content type", MessageChange.Prepare("nope", "{}", null).Problem, StringComparison.Ordinal);
        Assert.NotNull(MessageChange.Prepare("post", "{\"nope\":1}", null).Problem);
        Assert.Null(MessageChange.Prepare(null, null, "plain text").Problem);
    }

    [Theory]
    [InlineData(230071, "Edit", ErrorIds.NotMessageSender, ErrorCategory.PermissionDenied)]
    [InlineData(230072, "Edit", ErrorIds.EditLimitReached, ErrorCategory.LimitsExceeded)]
    [InlineData(230075, "Edit", ErrorIds.EditWindowPassed, ErrorCategory.InvalidOperation)]
    [InlineData(230110, "Edit", ErrorIds.MessageRecalled, ErrorCategory.ObjectNotFound)]
    [InlineData(230011, "Edit", ErrorIds.MessageRecalled, ErrorCategory.ObjectNotFound)]
    [InlineData(230001, "Edit", ErrorIds.InvalidMessage, ErrorCategory.InvalidData)]
    [InlineData(230001, "UpdateCard", ErrorIds.CardNotUpdatable, ErrorCategory.InvalidOperation)]
    [InlineData(230031, "UpdateCard", ErrorIds.CardUpdateWindowPassed, ErrorCategory.InvalidOperation)]
    [InlineData(230011, "UpdateCard", ErrorIds.MessageRecalled, ErrorCategory.ObjectNotFound)]
    [InlineData(230026, "Recall", ErrorIds.NotMessageSender, ErrorCategory.PermissionDenied)]
    [InlineData(230009, "Recall", ErrorIds.RecallWindowPassed, ErrorCategory.InvalidOperation)]
    [InlineData(230110, "Recall", ErrorIds.MessageRecalled, ErrorCategory.ObjectNotFound)]
    [InlineData(230001, "Recall", ErrorIds.MessageNotFound, ErrorCategory.ObjectNotFound)]
    [InlineData(230011, "Reply", ErrorIds.MessageRecalled, ErrorCategory.ObjectNotFound)]
    [InlineData(230001, "Reply", ErrorIds.InvalidMessage, ErrorCategory.InvalidData)]
    [InlineData(99992354, "Reply", ErrorIds.MessageNotFound, ErrorCategory.ObjectNotFound)]
    [InlineData(99992354, "Edit", ErrorIds.MessageNotFound, ErrorCategory.ObjectNotFound)]
    [InlineData(99992354, "UpdateCard", ErrorIds.MessageNotFound, ErrorCategory.ObjectNotFound)]
    [InlineData(99992354, "Recall", ErrorIds.MessageNotFound, ErrorCategory.ObjectNotFound)]
    [InlineData(99992354, "GetMessage", ErrorIds.MessageNotFound, ErrorCategory.ObjectNotFound)]
    [InlineData(99992354, "ReadUsers", ErrorIds.MessageNotFound, ErrorCategory.ObjectNotFound)]
    [InlineData(99992354, "DownloadResource", ErrorIds.MessageNotFound, ErrorCategory.ObjectNotFound)]
    public void Each_operation_reads_its_own_row_for_a_code(int code, string operationName, string errorId, ErrorCategory category)
    {
        var operation = Enum.Parse<LarkOperation>(operationName);
        var row = LarkCodeTable.Classify(code, 400, noAnswer: false, operation);

        Assert.Equal(operation, row.Operation);
        Assert.Equal(errorId, row.ErrorId);
        Assert.Equal(category, row.Category);
        Assert.Equal(RetryKind.Never, row.Retry);
        Assert.False(string.IsNullOrWhiteSpace(row.Fix));
    }

    [Theory]
    [InlineData(230071, "Edit", "only messages the bot itself sent")]
    [InlineData(230072, "Edit", "at most 20 times")]
    [InlineData(230075, "Edit", "administrator sets how long")]
    [InlineData(230001, "UpdateCard", "Send-LarkMessage -Updatable")]
    [InlineData(230031, "UpdateCard", "within 14 days")]
    [InlineData(230026, "Recall", "only messages the bot itself sent")]
    [InlineData(230009, "Recall", "24 hours unless changed")]
    [InlineData(230110, "Recall", "already gone")]
    [InlineData(230011, "Reply", "takes no replies")]
    public void Each_refusal_says_its_fix_in_words(int code, string operationName, string words)
    {
        var row = LarkCodeTable.Classify(code, 400, noAnswer: false, Enum.Parse<LarkOperation>(operationName));

        Assert.Contains(words, row.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cards_update_limit_waits_like_a_receiver_and_server_trouble_is_retried_for_every_change()
    {
        Assert.Equal(RetryKind.ReceiverQuota, LarkCodeTable.Classify(230020, 400, false, LarkOperation.UpdateCard).Retry);
        Assert.Equal(RetryKind.AppQuota, LarkCodeTable.Classify(99991400, 429, false, LarkOperation.Edit).Retry);
        foreach (var operation in new[] { LarkOperation.Reply, LarkOperation.Edit, LarkOperation.UpdateCard, LarkOperation.Recall })
        {
            Assert.Equal(RetryKind.Transient, LarkCodeTable.Classify(null, 500, false, operation).Retry);
            Assert.Equal(RetryKind.Transient, LarkCodeTable.Classify(null, null, true, operation).Retry);
        }

        // A send keeps its own meaning of 230001.
        Assert.Equal(ErrorIds.InvalidMessage, LarkCodeTable.Classify(230001, 400, false, LarkOperation.Send).ErrorId);
        Assert.Equal(ErrorIds.MessageChangeFailed, LarkCodeTable.Classify(239999, 400, false, LarkOperation.Recall).ErrorId);
    }
}
