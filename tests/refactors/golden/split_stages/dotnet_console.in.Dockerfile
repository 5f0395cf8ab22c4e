FROM mcr.microsoft.com/dotnet/sdk:8.0-bookworm-slim
WORKDIR /src
COPY . .
RUN dotnet publish -c Release -o out
CMD ["dotnet", "run", "--", "--daily"]
