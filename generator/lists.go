package generator

// Synthetic value lists for fields Zscaler publishes no vocabulary for. Values seen in public samples
// (zia-formats.md §2, generator/vocab/data/observed.tsv) are used where they exist; the rest are
// plausible inventions. Fictional hosts use the reserved .example and .test names (RFC 2606).

var firstNames = []string{
	"olivia", "liam", "emma", "noah", "ava", "oliver", "sophia", "elijah", "isabella", "james",
	"mia", "william", "amelia", "benjamin", "harper", "lucas", "evelyn", "henry", "abigail", "theodore",
	"emily", "jack", "ella", "levi", "elizabeth", "alexander", "camila", "jackson", "luna", "mateo",
	"sofia", "daniel", "avery", "michael", "mila", "mason", "aria", "sebastian", "scarlett", "ethan",
	"penelope", "logan", "layla", "owen", "chloe", "samuel", "victoria", "jacob", "madison", "asher",
	"priya", "arjun", "mei", "hiroshi", "fatima", "omar", "ingrid", "lars", "chiara", "marco",
}

var lastNames = []string{
	"smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez", "martinez",
	"hernandez", "lopez", "gonzalez", "wilson", "anderson", "thomas", "taylor", "moore", "jackson", "martin",
	"lee", "perez", "thompson", "white", "harris", "sanchez", "clark", "ramirez", "lewis", "robinson",
	"walker", "young", "allen", "king", "wright", "scott", "torres", "nguyen", "hill", "flores",
	"green", "adams", "nelson", "baker", "hall", "rivera", "campbell", "mitchell", "carter", "roberts",
	"patel", "kumar", "chen", "tanaka", "khan", "haddad", "larsen", "berg", "rossi", "bianchi",
}

// orgDomain is the synthetic organisation's login domain.
const orgDomain = "example.com"

var departments = []weightedString{
	{"Sales", 14}, {"Engineering", 22}, {"Finance", 7}, {"Human Resources", 4}, {"Marketing", 8},
	{"Legal", 2}, {"IT", 6}, {"Operations", 9}, {"Customer Support", 10}, {"Service Admin", 2},
	{"Default Department", 8}, {"Procurement", 3}, {"Research", 5},
}

// location is a ZIA location: how its users reach Zscaler and what their traffic looks like.
type location struct {
	name     string
	weight   int
	zcc      bool   // users run Zscaler Client Connector (device fields known)
	redirect string // %s{trafficredirectmethod}
	ttype    string // firewall %s{ttype}
	subnet   [3]byte
	egress   byte // last octet of the location's public egress address in 203.0.113.0/24; 0 = per user
}

var locations = []location{
	{name: "Road Warrior", weight: 45, zcc: true, redirect: "ZscalerClientConnector", ttype: "ZscalerClientConnector", subnet: [3]byte{192, 168, 1}},
	{name: "Headquarters", weight: 30, zcc: false, redirect: "GRE", ttype: "GRE", subnet: [3]byte{10, 10, 0}, egress: 10},
	{name: "Home", weight: 10, zcc: true, redirect: "ZscalerClientConnector", ttype: "ZscalerClientConnector", subnet: [3]byte{192, 168, 0}},
	{name: "Singapore Office", weight: 10, zcc: false, redirect: "IPSEC", ttype: "L2 tunnel", subnet: [3]byte{10, 20, 0}, egress: 20},
	{name: "new-gre", weight: 5, zcc: false, redirect: "GRE", ttype: "GRE", subnet: [3]byte{172, 17, 3}, egress: 30},
}

// device is a kind of endpoint: its OS, model and browser user agents.
type device struct {
	weight     int
	prefix     string // hostname prefix
	ostype     string
	models     []string
	uas        []string
	appVersion string
}

var devices = []device{
	{weight: 70, prefix: "DESKTOP-", ostype: "Windows OS", models: []string{"Standard PC", "Latitude 7440", "ThinkPad X1 Carbon Gen 11", "HP EliteBook 840 G9", "VMware7,1", "Lenovo"}, uas: []string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36 Edg/127.0.2651.98",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:129.0) Gecko/20100101 Firefox/129.0",
	}, appVersion: "4.3.0.181"},
	{weight: 25, prefix: "MBP-", ostype: "Mac OS", models: []string{"MacBookPro18,3", "Mac14,2", "macbookpro"}, uas: []string{
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36",
	}, appVersion: "4.2.0.209"},
	{weight: 5, prefix: "LNX-", ostype: "Linux OS", models: []string{"Standard PC (Q35 + ICH9, 2009)"}, uas: []string{
		"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
	}, appVersion: "3.7.1.27"},
}

// agentUAs are non-browser user agents seen in NSS web samples.
var agentUAs = []string{
	"Windows Microsoft Windows 10 Pro ZTunnel/1.0",
	"Microsoft-Delivery-Optimization/10.0",
	"Microsoft NCSI",
	"curl/7.68.0",
	"Zscaler-Delivery-Optimization/10.1",
	"Unknown",
}

// siteGroup names a pool of destinations with a common character.
type siteGroup uint8

const (
	groupGeneral   siteGroup = iota // everyday allowed browsing and updates
	groupSocial                     // social networks and blogs
	groupWebmail                    // webmail
	groupStreaming                  // streaming media
	groupFileShare                  // file sharing
	groupChat                       // instant messaging
	groupPolicy                     // categories an acceptable-use policy blocks
	groupThreat                     // malicious or risky destinations
	numGroups
)

// site is a destination host: its URL category (must be in url-categories.tsv), the cloud application
// ZIA recognises there, typical paths and whether it is served over TLS.
type site struct {
	host     string
	urlcat   string
	appname  string
	appclass string
	group    siteGroup
	paths    []string
}

var sites = []site{
	{"www.bing.com", "Web Search", "Bing", "General Browsing", groupGeneral, []string{"/search?q=zscaler+nss+feed&form=QBLH", "/", "/images/search?q=cef+format&first=1"}},
	{"c.bing.com", "Web Search", "General Browsing", "General Browsing", groupGeneral, []string{"/c.gif", "/"}},
	{"www.google.com", "Web Search", "Google Search", "General Browsing", groupGeneral, []string{"/search?q=detection+engineering&oq=detection", "/complete/search?client=chrome&q=mitre", "/"}},
	{"duckduckgo.com", "Web Search", "General Browsing", "General Browsing", groupGeneral, []string{"/", "/ac/?q=syslog&kl=wt-wt"}},
	{"www.nytimes.com", "News and Media", "General Browsing", "General Browsing", groupGeneral, []string{"/section/world", "/", "/live/"}},
	{"a.et.nytimes.com", "News and Media", "General Browsing", "General Browsing", groupGeneral, []string{"/track?subject=page&ts=1718074364", "/"}},
	{"www.bbc.co.uk", "News and Media", "General Browsing", "General Browsing", groupGeneral, []string{"/news", "/sport", "/"}},
	{"www.ebay.com", "Online Shopping", "Ebay", "Consumer Apps", groupGeneral, []string{"/", "/itm/", "/sch/i.html?_nkw=usb+c+hub&_sacat=0"}},
	{"www.amazon.com", "Online Shopping", "Amazon", "Consumer Apps", groupGeneral, []string{"/", "/gp/cart/view.html", "/dp/"}},
	{"ctldl.windowsupdate.com", "Operating System and Software Updates", "Windows Update", "IT Services", groupGeneral, []string{"/msdownload/update/v3/static/trustedr/en/pinrulesstl.cab", "/msdownload/update/v3/static/trustedr/en/disallowedcertstl.cab"}},
	{"download.windowsupdate.com", "Operating System and Software Updates", "Windows Update", "IT Services", groupGeneral, []string{"/c/msdownload/update/software/", "/"}},
	{"www.msftconnecttest.com", "Internet Services", "General Browsing", "General Browsing", groupGeneral, []string{"/connecttest.txt"}},
	{"ocsp.digicert.com", "Internet Services", "General Browsing", "General Browsing", groupGeneral, []string{"/", "/MFEwTzBNMEswSTAJBgUrDgMCGgUABBQ"}},
	{"login.microsoftonline.com", "Professional Services", "Microsoft Login", "Productivity & CRM Tools", groupGeneral, []string{"/common/oauth2/v2.0/token", "/common/login"}},
	{"outlook.office365.com", "Professional Services", "Outlook", "Productivity & CRM Tools", groupGeneral, []string{"/owa/", "/mapi/emsmdb/"}},
	{"contoso.sharepoint.com", "Professional Services", "SharePoint", "Productivity & CRM Tools", groupGeneral, []string{"/sites/team/Shared-Documents", "/_api/web?$select=Title"}},
	{"teams.microsoft.com", "Web Conferencing", "Microsoft Teams", "Collaboration & Online Meetings", groupGeneral, []string{"/", "/api/mt/emea/beta/users/"}},
	{"zoom.us", "Web Conferencing", "Zoom", "Collaboration & Online Meetings", groupGeneral, []string{"/j/", "/wc/join/"}},
	{"github.com", "Developer Tools", "GitHub", "System & Development", groupGeneral, []string{"/", "/login", "/settings/profile"}},
	{"registry.npmjs.org", "Developer Tools", "General Browsing", "System & Development", groupGeneral, []string{"/react", "/-/v1/search?text=keywords:cef|syslog&size=20"}},
	{"fonts.gstatic.com", "CDN", "General Browsing", "General Browsing", groupGeneral, []string{"/s/roboto/v30/KFOmCnqEu92Fr1Mu4mxK.woff2"}},
	{"cdn.jsdelivr.net", "CDN", "General Browsing", "General Browsing", groupGeneral, []string{"/npm/bootstrap@5.3.0/dist/css/bootstrap.min.css"}},
	{"www.salesforce.com", "Corporate Marketing", "Salesforce", "Sales and Marketing", groupGeneral, []string{"/", "/products/"}},
	{"www.hubspot.com", "Corporate Marketing", "HubSpot", "Sales and Marketing", groupGeneral, []string{"/", "/pricing"}},
	{"stats.g.doubleclick.net", "Advertising", "DoubleClick", "Sales and Marketing", groupGeneral, []string{"/g/collect?v=2&tid=G-8QK2Z0&en=page_view"}},
	{"www.wikipedia.org", "Reference Sites", "General Browsing", "General Browsing", groupGeneral, []string{"/", "/wiki/Main_Page"}},
	{"www.weather.gov", "Government", "General Browsing", "General Browsing", groupGeneral, []string{"/", "/forecast/"}},
	{"www.expedia.com", "Travel", "General Browsing", "General Browsing", groupGeneral, []string{"/", "/Flights"}},
	{"www.webmd.com", "Health", "General Browsing", "General Browsing", groupGeneral, []string{"/", "/a-to-z-guides/"}},
	{"www.chase.com", "Finance", "General Browsing", "Finance", groupGeneral, []string{"/", "/personal/banking"}},
	{"chatgpt.com", "General AI and ML Applications", "ChatGPT", "AI & ML Applications", groupGeneral, []string{"/", "/backend-api/conversation"}},
	{"www.linkedin.com", "Professional Services", "LinkedIn", "Social Networking", groupGeneral, []string{"/feed/", "/jobs/"}},

	{"www.facebook.com", "Social Networking", "Facebook", "Social Networking", groupSocial, []string{"/", "/ajax/bulk-route-definitions/", "/marketplace/"}},
	{"www.instagram.com", "Social Networking", "Instagram", "Social Networking", groupSocial, []string{"/", "/api/v1/feed/timeline/"}},
	{"x.com", "Social Networking", "Twitter", "Social Networking", groupSocial, []string{"/home", "/i/api/graphql/"}},
	{"www.tiktok.com", "Social Networking", "TikTok", "Social Networking", groupSocial, []string{"/foryou", "/api/recommend/item_list/"}},
	{"www.tumblr.com", "Blogs", "Tumblr", "Social Networking", groupSocial, []string{"/dashboard"}},

	{"mail.google.com", "Webmail", "Gmail", "Webmail", groupWebmail, []string{"/mail/u/0/", "/sync/u/0/i/s"}},
	{"outlook.live.com", "Webmail", "Outlook.com", "Webmail", groupWebmail, []string{"/mail/0/", "/owa/0/service.svc"}},
	{"mail.yahoo.com", "Webmail", "Yahoo Mail", "Webmail", groupWebmail, []string{"/d/folders/1"}},

	{"www.youtube.com", "Video Streaming", "YouTube", "Streaming Media", groupStreaming, []string{"/watch", "/youtubei/v1/player"}},
	{"www.netflix.com", "Television/Movies", "Netflix", "Streaming Media", groupStreaming, []string{"/browse", "/watch/"}},
	{"open.spotify.com", "Music and Audio Streaming", "Spotify", "Streaming Media", groupStreaming, []string{"/", "/track/"}},

	{"www.dropbox.com", "FileHost", "Dropbox", "File Sharing", groupFileShare, []string{"/home", "/upload"}},
	{"wetransfer.com", "FileHost", "WeTransfer", "File Sharing", groupFileShare, []string{"/", "/api/v4/transfers"}},
	{"mega.nz", "FileHost", "Mega", "File Sharing", groupFileShare, []string{"/file/", "/"}},

	{"web.whatsapp.com", "Online Chat", "WhatsApp", "Instant Messaging", groupChat, []string{"/", "/send"}},
	{"discord.com", "Online Chat", "Discord", "Instant Messaging", groupChat, []string{"/channels/@me", "/api/v9/channels/"}},
	{"api.chat.example", "Online Chat", "Random Chat", "Sales and Marketing", groupChat, []string{"/bot/sendmessage"}},

	{"lucky-spin-casino.example", "Gambling", "General Browsing", "General Browsing", groupPolicy, []string{"/", "/play/slots"}},
	{"sportsbet-live.example", "Gambling", "General Browsing", "General Browsing", groupPolicy, []string{"/odds", "/"}},
	{"free-proxy-unblock.example", "Anonymizer", "General Browsing", "General Browsing", groupPolicy, []string{"/browse.php", "/"}},
	{"adult-content.example", "Adult Themes", "General Browsing", "General Browsing", groupPolicy, []string{"/", "/gallery/"}},
	{"greenleaf-dispensary.example", "Marijuana", "General Browsing", "General Browsing", groupPolicy, []string{"/shop"}},
	{"tactical-arms.example", "Weapons/Bombs", "General Browsing", "General Browsing", groupPolicy, []string{"/catalog"}},
	{"exploit-tutorials.example", "Computer Hacking", "General Browsing", "General Browsing", groupPolicy, []string{"/tools/", "/"}},
	{"browsergames-arcade.example", "Online and Other Games", "General Browsing", "General Browsing", groupPolicy, []string{"/play", "/"}},
	{"torrent-index.example", "Peer-to-Peer Site", "General Browsing", "General Browsing", groupPolicy, []string{"/search", "/download"}},

	{"login-microsoft-verify.example", "Newly Registered and Observed Domains", "General Browsing", "General Browsing", groupThreat, []string{"/common/oauth2/authorize", "/owa/auth/logon.aspx"}},
	{"secure-docs-share.test", "Miscellaneous or Unknown", "General Browsing", "General Browsing", groupThreat, []string{"/invoice.zip", "/view/document.php"}},
	{"cdn-update-service.example", "Newly Revived Domains", "General Browsing", "General Browsing", groupThreat, []string{"/update/setup.exe", "/dl/installer.msi"}},
	{"x7kq2vz9.dyndns.example", "Dynamic DNS Host", "General Browsing", "General Browsing", groupThreat, []string{"/gate.php", "/api/beacon"}},
	{"free-coupons-now.test", "Spyware/Adware", "General Browsing", "General Browsing", groupThreat, []string{"/", "/track.js"}},
	{"coinhive-pool.example", "Other Security", "General Browsing", "General Browsing", groupThreat, []string{"/lib/miner.min.js", "/proxy"}},
	{"paste-drop.test", "Non Categorizable", "General Browsing", "General Browsing", groupThreat, []string{"/raw/a8Fk2", "/payload.bin"}},
	{"forum-comments.example", "Discussion Forums", "General Browsing", "General Browsing", groupThreat, []string{"/thread/8812", "/post/reply"}},
}

// threatFamily describes the threat fields of one kind of threat reason.
type threatFamily struct {
	keywords     []string // reason substrings (lower case) that select the family; empty = fallback
	names        []string // %s{threatname}
	malwarecat   []string
	malwareclass string
	riskLo       int
	riskHi       int
	filetypes    []string // %s{filetype}; empty = None
	hosts        []string // the threat-group sites such threats come from
}

var threatFamilies = []threatFamily{
	{keywords: []string{"sandbox"}, names: []string{"Win32.Ransom.LockBit", "Win64.Trojan.IcedID", "Win32.Downloader.Qakbot", "Win32.Backdoor.CobaltStrike"}, malwarecat: []string{"Sandbox Malware", "Sandbox Ransomware"}, malwareclass: "Sandbox", riskLo: 90, riskHi: 100, filetypes: []string{"EXE", "DLL", "MSI"}, hosts: []string{"cdn-update-service.example", "secure-docs-share.test", "paste-drop.test"}},
	{keywords: []string{"malware", "virus", "quarantined"}, names: []string{"EICAR Test File", "Win64.Backdoor.Sliver", "Trojan.Zbot", "Backdoor.Caphaw", "Win32.Trojan.Emotet"}, malwarecat: []string{"Trojan", "Backdoor", "Downloader", "Password Stealer", "Virus"}, malwareclass: "Virus", riskLo: 75, riskHi: 100, filetypes: []string{"EXE", "ZIP", "DOCM", "JS"}, hosts: []string{"cdn-update-service.example", "secure-docs-share.test", "paste-drop.test"}},
	{keywords: []string{"cross-site", "xss", "cookie"}, names: []string{"JS.Exploit.XSS", "HTML.Exploit.CookieStealing"}, malwarecat: []string{"Exploit"}, malwareclass: "Malware", riskLo: 60, riskHi: 89, hosts: []string{"forum-comments.example"}},
	{keywords: []string{"botnet", "command and control", "rate-based"}, names: []string{"Win32.Trojan.DNSpionage", "Linux.Backdoor.Tsunami", "Trojan.Zbot", "Backdoor.Caphaw"}, malwarecat: []string{"Backdoor", "Trojan"}, malwareclass: "Malware", riskLo: 75, riskHi: 100, hosts: []string{"x7kq2vz9.dyndns.example"}},
	{keywords: []string{"crypto"}, names: []string{"JS.CoinMiner.CoinHive", "Win64.CoinMiner.XMRig"}, malwarecat: []string{"Unwanted Application"}, malwareclass: "Malware", riskLo: 46, riskHi: 80, hosts: []string{"coinhive-pool.example"}},
	{keywords: []string{"phishing"}, names: []string{"HTML.Phishing.Office365", "HTML.Phishing.Generic", "JS.Phishing.Kit"}, malwarecat: []string{"Other Malware"}, malwareclass: "Malware", riskLo: 75, riskHi: 100, hosts: []string{"login-microsoft-verify.example"}},
	{keywords: []string{"webspam", "seo"}, names: []string{"HTML.Injection.SEO-SPAM"}, malwarecat: []string{"Other Spyware"}, malwareclass: "Spyware", riskLo: 20, riskHi: 60},
	{keywords: []string{"adware", "spyware"}, names: []string{"JS.Adware.Agent", "Win32.Adware.InstallCore"}, malwarecat: []string{"Adware"}, malwareclass: "Spyware", riskLo: 20, riskHi: 60, hosts: []string{"free-coupons-now.test"}},
	{keywords: nil, names: []string{"HTML.Exploit.Generic", "Win32.RMMTool.TeamViewer.CS", "JS.Malicious.Redirect"}, malwarecat: []string{"Exploit", "Other Malware", "Suspicious"}, malwareclass: "Malware", riskLo: 46, riskHi: 100},
}

// fwService is a firewall network service the generator draws connections from.
type fwService struct {
	name    string // %s{nwsvc}
	vocab   string // predefined service in fw-network-services.tsv whose ports it uses; "" = ports below
	ipproto string
	ports   []uint16 // only when vocab == ""
	nwapps  []string
	weight  int
}

var fwServices = []fwService{
	{name: "HTTPS", vocab: "HTTPS", ipproto: "TCP", nwapps: []string{"ssl", "mozilla", "sharepoint_document", "office365", "google", "http"}, weight: 38},
	{name: "QUIC", vocab: "QUIC", ipproto: "UDP", nwapps: []string{"udp", "quic", "google"}, weight: 12},
	{name: "HTTP", vocab: "HTTP", ipproto: "TCP", nwapps: []string{"http", "ebay", "windowsupdate"}, weight: 9},
	{name: "DNS", vocab: "DNS", ipproto: "UDP", nwapps: []string{"dns"}, weight: 12},
	{name: "ZSCALER_PROXY_NW_SERVICES", vocab: "Zscaler Proxy Network Services", ipproto: "TCP", nwapps: []string{"tcp", "sharepoint_document", "http"}, weight: 10},
	{name: "NTP", vocab: "NTP", ipproto: "UDP", nwapps: []string{"ntp"}, weight: 3},
	{name: "SSH", vocab: "SSH", ipproto: "TCP", nwapps: []string{"ssh"}, weight: 2},
	{name: "SMB", vocab: "SMB", ipproto: "TCP", nwapps: []string{"smb"}, weight: 1},
	{name: "HTTP Proxy", vocab: "HTTP Proxy", ipproto: "TCP", nwapps: []string{"http"}, weight: 2},
	{name: "IKE-NAT", vocab: "IKE-NAT", ipproto: "UDP", nwapps: []string{"ipsec"}, weight: 1},
	{name: "SMTP", vocab: "SMTP", ipproto: "TCP", nwapps: []string{"smtp"}, weight: 1},
	{name: "IMAP", vocab: "IMAP", ipproto: "TCP", nwapps: []string{"imap"}, weight: 1},
	{name: "Kerberos", vocab: "Kerberos", ipproto: "TCP", nwapps: []string{"kerberos"}, weight: 1},
	{name: "LDAP", vocab: "LDAP", ipproto: "TCP", nwapps: []string{"ldap"}, weight: 1},
	{name: "SIP", vocab: "SIP", ipproto: "UDP", nwapps: []string{"sip"}, weight: 1},
	{name: "ICMP", vocab: "ICMP", ipproto: "ICMP", nwapps: []string{"icmp"}, weight: 1},
	// Services only classes select by name.
	{name: "RDP", ipproto: "TCP", ports: []uint16{3389}, nwapps: []string{"rdp"}},
	{name: "Rsync", vocab: "Rsync", ipproto: "TCP", nwapps: []string{"rsync"}},
}

var destCountries = []weightedString{
	{"United States", 50}, {"Ireland", 8}, {"Germany", 7}, {"Netherlands", 6}, {"United Kingdom", 6},
	{"Singapore", 5}, {"Australia", 4}, {"Japan", 4}, {"France", 3}, {"Other", 7},
}

var ipCategories = []weightedString{
	{"Miscellaneous or Unknown", 30}, {"Internet Services", 20}, {"Web Search", 10}, {"CDN", 12},
	{"Online Shopping", 6}, {"Finance", 4}, {"Professional Services", 8}, {"Web Host", 6},
	{"Operating System and Software Updates", 4},
}

var datacenters = []struct{ name, city, country string }{
	{"SYD3", "Sy", "AU"}, {"FRA4", "Fr", "DE"}, {"LON3", "Lo", "GB"}, {"WAS1", "Wa", "US"},
	{"SJC4", "Sa", "US"}, {"SIN4", "Si", "SG"},
}

var contentTypes = []weightedString{
	{"text/html", 30}, {"application/json", 20}, {"image/png", 8}, {"image/jpeg", 6},
	{"application/javascript", 10}, {"text/css", 5}, {"application/octet_stream", 6}, {"Other", 10},
	{"text/plain", 5},
}

// weightedString is a value with a relative weight.
type weightedString struct {
	s string
	w int
}
