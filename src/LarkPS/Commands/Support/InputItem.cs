namespace LarkPS.Commands.Support;

/// <summary>One message as read from the pipeline or the parameters, with what errors name it by.</summary>
internal sealed class InputItem
{
    public InputItem(object? target, Messages.MessageInput input, string description)
    {
        Target = target;
        Input = input;
        Description = description;
    }

    /// <summary>The object the user gave (the CSV row, the hashtable, the JSON text): every error's TargetObject.</summary>
    public object? Target { get; }

    /// <summary>The message as the item and the parameters describe it, before any check.</summary>
    public Messages.MessageInput Input { get; }

    /// <summary>"item 3 (chat oc_…)": how errors, -WhatIf and the journal name it.</summary>
    public string Description { get; }
}
