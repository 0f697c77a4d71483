using Bff.Shared.Configuration.File;
using Bff.Shared.Routing;

namespace Bff.Shared.Configuration;

/// <summary>What a feature needs to build its part of one route's model: the route and global sections, the route's
/// id, the host's context and where to report errors.</summary>
internal sealed record RouteBuildContext(
    FileRoute Route, FileGlobalConfiguration Global, string Id, ModelBuildContext Host, ConfigErrorScope Errors,
    List<TemplatePart>? DownstreamParts, bool BaseUrlConfigured);
