"""Reply letters to deputies' suggestions and members' proposals, as structured data."""
