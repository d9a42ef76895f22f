using LarkPS.Commands;
using Xunit;

namespace LarkPS.UnitTests.Messages;

/// <summary>The -WhatIf / -Confirm action text names the message type with the article English gives it.</summary>
public class ActionTextTests
{
    [Theory]
    [InlineData("text", "a text")]
    [InlineData("post", "a post")]
    [InlineData("interactive", "an interactive")]
    [InlineData("image", "an image")]
    [InlineData("audio", "an audio")]
    [InlineData("media", "a media")]
    [InlineData("file", "a file")]
    [InlineData("sticker", "a sticker")]
    [InlineData("share_chat", "a share_chat")]
    [InlineData("share_user", "a share_user")]
    public void Each_type_takes_its_article(string msgType, string expected) =>
        Assert.Equal(expected, LarkPS.Messages.ContentTypes.WithArticle(msgType));
}
