FROM mcr.microsoft.com/dotnet/sdk:8.0
WORKDIR /src
COPY *.csproj .
RUN dotnet restore
COPY . .
CMD ["dotnet", "run"]
