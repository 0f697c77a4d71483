using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Bffs.KeyStore.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class AddUserClaims : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Claims",
                table: "users",
                type: "nvarchar(4000)",
                maxLength: 4000,
                nullable: false,
                defaultValue: "");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Claims",
                table: "users");
        }
    }
}
