using System.Text.RegularExpressions;

namespace Bff.Shared.Routing;

/// <summary>An <c>UpstreamHeaderTemplates</c> entry: the header must be present and match; <c>{header:x}</c> captures.</summary>
internal sealed record HeaderTemplate(string Header, Regex Pattern, string[] CaptureNames);
