namespace Bff.Shared.Routing;

/// <summary>A piece of a path template: literal text or a <c>{placeholder}</c>.</summary>
internal readonly record struct TemplatePart(string Text, bool IsPlaceholder);
