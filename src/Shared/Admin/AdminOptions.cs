namespace Bff.Shared.Admin;

/// <summary>Settings of the admin API (<c>Admin</c> section).</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Admin";

    /// <summary><c>Admin:Enabled</c>: map <c>/admin/*</c> (off by default; on in Bff.Partner's Development settings).</summary>
    public bool Enabled { get; set; }

    /// <summary><c>Admin:Docs</c>: also serve the OpenAPI document and the Scalar page, without a key (default: Development only).</summary>
    public bool Docs { get; set; }
}
