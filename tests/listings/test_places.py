"""The place parser, driven by real location strings of the community lists
(and the cases issue 14 names). Each expected place is written as
"name|city|region|country" with "|remote" when the string made it remote."""

import pytest

from listings.places import Place, gazetteer, parse_location, parse_places, parse_rate

# (string, work mode its words give, places) — read with default_country="US", as the
# simplify reader does: the lists are US lists that name every other country.
TABLE = [
    ("Addison. TX", "", ["Addison, TX|Addison|TX|US"]),
    ("Alberta, Canada", "", ["Alberta, Canada||AB|CA"]),
    ("All", "", ["Multiple US Locations|||US"]),
    ("Alpharetta, Georgia", "", ["Alpharetta, GA|Alpharetta|GA|US"]),
    ("Americas", "", ["Americas|||"]),
    ("Ann Arbor", "", ["Ann Arbor, MI|Ann Arbor|MI|US"]),
    ("Arizona", "", ["Arizona||AZ|US"]),
    ("Arlington, Texas", "", ["Arlington, TX|Arlington|TX|US"]),
    ("Arlington, Virginia", "", ["Arlington, VA|Arlington|VA|US"]),
    ("Armonk", "", ["Armonk, NY|Armonk|NY|US"]),
    ("Ashburn, VA, USA", "", ["Ashburn, VA|Ashburn|VA|US"]),
    ("Ashburn, Virginia", "", ["Ashburn, VA|Ashburn|VA|US"]),
    ("Atlanta", "", ["Atlanta, GA|Atlanta|GA|US"]),
    ("Atlanta, GA, USA", "", ["Atlanta, GA|Atlanta|GA|US"]),
    ("Atlanta, Georgia", "", ["Atlanta, GA|Atlanta|GA|US"]),
    ("Aurora", "", ["Aurora, CO|Aurora|CO|US"]),
    ("Aurora CO", "", ["Aurora, CO|Aurora|CO|US"]),
    ("Austin", "", ["Austin, TX|Austin|TX|US"]),
    ("Austin, TX Chicago, IL", "", ["Austin, TX|Austin|TX|US", "Chicago, IL|Chicago|IL|US"]),
    ("Austin, TX, USA", "", ["Austin, TX|Austin|TX|US"]),
    ("Austin, Texas, United States of America", "", ["Austin, TX|Austin|TX|US"]),
    ("Basking Ridge, New Jersey", "", ["Basking Ridge, NJ|Basking Ridge|NJ|US"]),
    ("Beaverton, Oregon", "", ["Beaverton, OR|Beaverton|OR|US"]),
    ("Beaverton, Oregon US", "", ["Beaverton, OR|Beaverton|OR|US"]),
    ("Bedminster, New Jersey", "", ["Bedminster, NJ|Bedminster|NJ|US"]),
    ("Bellevue, WA, USA", "", ["Bellevue, WA|Bellevue|WA|US"]),
    ("Bellevue, Wa", "", ["Bellevue, WA|Bellevue|WA|US"]),
    ("Bellevue, Washington", "", ["Bellevue, WA|Bellevue|WA|US"]),
    ("Bellevue, Washington, United States of America", "", ["Bellevue, WA|Bellevue|WA|US"]),
    (
        "Berwick, PA or Idaho Falls, ID",
        "",
        ["Berwick, PA|Berwick|PA|US", "Idaho Falls, ID|Idaho Falls|ID|US"],
    ),
    ("Bloomington, Illinois", "", ["Bloomington, IL|Bloomington|IL|US"]),
    ("Boston", "", ["Boston, MA|Boston|MA|US"]),
    ("Boston MA", "", ["Boston, MA|Boston|MA|US"]),
    ("Boston, Massachusetts", "", ["Boston, MA|Boston|MA|US"]),
    ("Boulder, CO, USA", "", ["Boulder, CO|Boulder|CO|US"]),
    ("Boulder, Colorado, United States of America", "", ["Boulder, CO|Boulder|CO|US"]),
    ("Branchburg, New Jersey", "", ["Branchburg, NJ|Branchburg|NJ|US"]),
    (
        "Bridgewater USA; Austin USA; Santa Clara USA; Boulder USA; Boxborough USA",
        "",
        [
            "Bridgewater, NJ|Bridgewater|NJ|US",
            "Austin, TX|Austin|TX|US",
            "Santa Clara, CA|Santa Clara|CA|US",
            "Boulder, CO|Boulder|CO|US",
            "Boxborough, MA|Boxborough|MA|US",
        ],
    ),
    ("Bristol, Connecticut, United States", "", ["Bristol, CT|Bristol|CT|US"]),
    ("Burnaby, BC, Canada", "", ["Burnaby, BC, Canada|Burnaby|BC|CA"]),
    ("Calgary, AB, Canada", "", ["Calgary, AB, Canada|Calgary|AB|CA"]),
    ("Calgary, Canada", "", ["Calgary, AB, Canada|Calgary|AB|CA"]),
    ("California", "", ["California||CA|US"]),
    ("Cambridge, MA, USA", "", ["Cambridge, MA|Cambridge|MA|US"]),
    ("Cambridge, ON, Canada", "", ["Cambridge, ON, Canada|Cambridge|ON|CA"]),
    ("Canada", "", ["Canada|||CA"]),
    ("Cary, NC Remote", "remote", ["Cary, NC|Cary|NC|US", "United States|||US|remote"]),
    ("Cary, North Carolina", "", ["Cary, NC|Cary|NC|US"]),
    ("Charlotte, Atlanta", "", ["Charlotte, NC|Charlotte|NC|US", "Atlanta, GA|Atlanta|GA|US"]),
    ("Charlotte, North Carolina", "", ["Charlotte, NC|Charlotte|NC|US"]),
    ("Chicago, IL, USA", "", ["Chicago, IL|Chicago|IL|US"]),
    ("Chicago, Illinois", "", ["Chicago, IL|Chicago|IL|US"]),
    ("Colorado", "", ["Colorado||CO|US"]),
    ("Dallas, TX Tempe, AZ", "", ["Dallas, TX|Dallas|TX|US", "Tempe, AZ|Tempe|AZ|US"]),
    (
        "Dallas, TX or Scottsdale, AZ",
        "",
        ["Dallas, TX|Dallas|TX|US", "Scottsdale, AZ|Scottsdale|AZ|US"],
    ),
    ("Dallas, Texas", "", ["Dallas, TX|Dallas|TX|US"]),
    ("Dallas-Fort Worth Metroplex", "", ["Dallas-Fort Worth, TX|Dallas-Fort Worth|TX|US"]),
    ("Deerfield Beach, Florida", "", ["Deerfield Beach, FL|Deerfield Beach|FL|US"]),
    (
        "Denver, CO l Morris Plains, NJ l Nashville/Franklin, TN",
        "",
        [
            "Denver, CO|Denver|CO|US",
            "Morris Plains, NJ|Morris Plains|NJ|US",
            "Nashville/Franklin, TN|Nashville/Franklin|TN|US",
        ],
    ),
    ("Denver, Colorado, United States of America", "", ["Denver, CO|Denver|CO|US"]),
    (
        "Des Moines, IA Denver, CO",
        "",
        ["Des Moines, IA|Des Moines|IA|US", "Denver, CO|Denver|CO|US"],
    ),
    ("Digital Information", "", ["Digital Information|||"]),
    ("Dorchester, Boston, MA", "", ["Dorchester, Boston, MA|Dorchester, Boston|MA|US"]),
    ("Dunwoody, Georgia", "", ["Dunwoody, GA|Dunwoody|GA|US"]),
    ("Durham", "", ["Durham, NC|Durham|NC|US"]),
    ("Durham, NC, USA", "", ["Durham, NC|Durham|NC|US"]),
    ("Durham, North Carolina, US", "", ["Durham, NC|Durham|NC|US"]),
    ("Edmonton, AB, Canada", "", ["Edmonton, AB, Canada|Edmonton|AB|CA"]),
    ("Englewood, Colorado, US", "", ["Englewood, CO|Englewood|CO|US"]),
    ("Evanston, Illinois", "", ["Evanston, IL|Evanston|IL|US"]),
    ("Florida", "", ["Florida||FL|US"]),
    (
        "Fort Collins, Colorado, United States of America",
        "",
        ["Fort Collins, CO|Fort Collins|CO|US"],
    ),
    ("Fort Worth, Texas", "", ["Fort Worth, TX|Fort Worth|TX|US"]),
    ("Foster City, CA, USA", "", ["Foster City, CA|Foster City|CA|US"]),
    ("Fredericton, NB, Canada", "", ["Fredericton, NB, Canada|Fredericton|NB|CA"]),
    ("Georgia", "", ["Georgia||GA|US"]),
    ("Glendale, California, United States", "", ["Glendale, CA|Glendale|CA|US"]),
    ("Global", "", ["Worldwide|||"]),
    ("Goleta, CA, USA", "", ["Goleta, CA|Goleta|CA|US"]),
    (
        "Greensboro, NC or Simsbury, CT or Remote",
        "remote",
        [
            "Greensboro, NC|Greensboro|NC|US",
            "Simsbury, CT|Simsbury|CT|US",
            "United States|||US|remote",
        ],
    ),
    ("Greenwood Village, Colorado", "", ["Greenwood Village, CO|Greenwood Village|CO|US"]),
    (
        "Halifax Regional Municipality, NS, Canada",
        "",
        ["Halifax Regional Municipality, NS, Canada|Halifax Regional Municipality|NS|CA"],
    ),
    ("Hartford CT", "", ["Hartford, CT|Hartford|CT|US"]),
    ("Hillsboro, Oregon, United States", "", ["Hillsboro, OR|Hillsboro|OR|US"]),
    ("Hong Kong", "", ["Hong Kong|||HK"]),
    ("Hybrid", "hybrid", []),
    ("IL", "", ["Illinois||IL|US"]),
    ("Illinois", "", ["Illinois||IL|US"]),
    ("Indiana", "", ["Indiana||IN|US"]),
    (
        "Indianapolis, IN Chicago, IL Atlanta, GA",
        "",
        [
            "Indianapolis, IN|Indianapolis|IN|US",
            "Chicago, IL|Chicago|IL|US",
            "Atlanta, GA|Atlanta|GA|US",
        ],
    ),
    ("Iowa", "", ["Iowa||IA|US"]),
    ("Irvine, CA, USA", "", ["Irvine, CA|Irvine|CA|US"]),
    ("Irvine, California", "", ["Irvine, CA|Irvine|CA|US"]),
    ("Irvine, California, United States of America", "", ["Irvine, CA|Irvine|CA|US"]),
    ("Irving, Texas", "", ["Irving, TX|Irving|TX|US"]),
    (
        "Iselin, Woodbridge Township, NJ",
        "",
        ["Iselin, Woodbridge Township, NJ|Iselin, Woodbridge Township|NJ|US"],
    ),
    ("Jacksonville", "", ["Jacksonville, FL|Jacksonville|FL|US"]),
    ("Kirkland, WA, USA", "", ["Kirkland, WA|Kirkland|WA|US"]),
    ("Kitchener, ON, Canada", "", ["Kitchener, ON, Canada|Kitchener|ON|CA"]),
    ("Kyiv, Ukraine", "", ["Kyiv, Ukraine|Kyiv||UA"]),
    ("LA", "", ["Los Angeles, CA|Los Angeles|CA|US"]),
    ("La Jolla, San Diego, CA", "", ["La Jolla, San Diego, CA|La Jolla, San Diego|CA|US"]),
    ("Lake Mary, Florida", "", ["Lake Mary, FL|Lake Mary|FL|US"]),
    ("Lausanne, Switzerland", "", ["Lausanne, Switzerland|Lausanne||CH"]),
    ("Lincoln, Nebraska", "", ["Lincoln, NE|Lincoln|NE|US"]),
    ("Littleton, CO, US", "", ["Littleton, CO|Littleton|CO|US"]),
    ("London", "", ["London, United Kingdom|London||GB"]),
    ("Lone Tree, Colorado", "", ["Lone Tree, CO|Lone Tree|CO|US"]),
    ("Los Angeles, CA, USA", "", ["Los Angeles, CA|Los Angeles|CA|US"]),
    ("Los Angeles, California", "", ["Los Angeles, CA|Los Angeles|CA|US"]),
    ("Lowell", "", ["Lowell, MA|Lowell|MA|US"]),
    ("Madison, WI, USA", "", ["Madison, WI|Madison|WI|US"]),
    ("Manassas, Virginia", "", ["Manassas, VA|Manassas|VA|US"]),
    ("Markham, Canada", "", ["Markham, ON, Canada|Markham|ON|CA"]),
    ("Maryland", "", ["Maryland||MD|US"]),
    ("Maryland Heights", "", ["Maryland Heights, MO|Maryland Heights|MO|US"]),
    ("Massachusetts", "", ["Massachusetts||MA|US"]),
    (
        "McLean, VA Richmond, VA Plano, TX",
        "",
        ["McLean, VA|McLean|VA|US", "Richmond, VA|Richmond|VA|US", "Plano, TX|Plano|TX|US"],
    ),
    ("Michigan", "", ["Michigan||MI|US"]),
    ("Minneapolis MN", "", ["Minneapolis, MN|Minneapolis|MN|US"]),
    ("Mississauga, ON, Canada", "", ["Mississauga, ON, Canada|Mississauga|ON|CA"]),
    ("Missouri", "", ["Missouri||MO|US"]),
    ("Montreal, Canada", "", ["Montreal, QC, Canada|Montreal|QC|CA"]),
    ("Montreal, QC, Canada", "", ["Montreal, QC, Canada|Montreal|QC|CA"]),
    ("Mountain View, CA, USA", "", ["Mountain View, CA|Mountain View|CA|US"]),
    (
        "Mountain View, CA, USA Atlanta, GA + 27 more",
        "",
        ["Mountain View, CA|Mountain View|CA|US", "Atlanta, GA|Atlanta|GA|US"],
    ),
    ("Multiple", "", ["Multiple US Locations|||US"]),
    ("Multiple Locations", "", ["Multiple US Locations|||US"]),
    ("Multiple US Locations", "", ["Multiple US Locations|||US"]),
    ("NY Metro", "", ["New York, NY|New York|NY|US"]),
    ("NYC", "", ["New York, NY|New York|NY|US"]),
    (
        "Nashville, TN Philadelphia, PA",
        "",
        ["Nashville, TN|Nashville|TN|US", "Philadelphia, PA|Philadelphia|PA|US"],
    ),
    ("Needham", "", ["Needham, MA|Needham|MA|US"]),
    ("New York", "", ["New York||NY|US"]),
    ("New York City, New York", "", ["New York, NY|New York|NY|US"]),
    (
        "New York, NY Edgewood, NY Newark, NJ",
        "",
        ["New York, NY|New York|NY|US", "Edgewood, NY|Edgewood|NY|US", "Newark, NJ|Newark|NJ|US"],
    ),
    ("New York, NY, USA", "", ["New York, NY|New York|NY|US"]),
    ("New York, New York", "", ["New York, NY|New York|NY|US"]),
    ("New York, New York, United States", "", ["New York, NY|New York|NY|US"]),
    ("New York, New York, United States of America", "", ["New York, NY|New York|NY|US"]),
    ("North Carolina", "", ["North Carolina||NC|US"]),
    ("North Dakota", "", ["North Dakota||ND|US"]),
    ("North Reading, MA, US", "", ["North Reading, MA|North Reading|MA|US"]),
    (
        "North York, Toronto, ON, Canada",
        "",
        ["North York, Toronto, ON, Canada|North York, Toronto|ON|CA"],
    ),
    ("O'Fallon, IL Odenton, MD", "", ["O'Fallon, IL|O'Fallon|IL|US", "Odenton, MD|Odenton|MD|US"]),
    ("OK", "", ["Oklahoma||OK|US"]),
    ("Ohio", "", ["Ohio||OH|US"]),
    ("Onsite", "onsite", []),
    ("Ontario, Canada", "", ["Ontario, Canada||ON|CA"]),
    ("Oregon", "", ["Oregon||OR|US"]),
    ("Ottawa, Canada", "", ["Ottawa, ON, Canada|Ottawa|ON|CA"]),
    ("Ottawa, ON, Canada", "", ["Ottawa, ON, Canada|Ottawa|ON|CA"]),
    (
        "Owings Mills, MD Baltimore, MD",
        "",
        ["Owings Mills, MD|Owings Mills|MD|US", "Baltimore, MD|Baltimore|MD|US"],
    ),
    ("Palestine", "", ["Palestine|||PS"]),
    ("Palo Alto", "", ["Palo Alto, CA|Palo Alto|CA|US"]),
    ("Palo Alto, CA, USA", "", ["Palo Alto, CA|Palo Alto|CA|US"]),
    ("Palo Alto, California", "", ["Palo Alto, CA|Palo Alto|CA|US"]),
    ("Palo Alto, California, United States of America", "", ["Palo Alto, CA|Palo Alto|CA|US"]),
    ("Pennsylvania", "", ["Pennsylvania||PA|US"]),
    ("Philadelphia, Pennsylvania", "", ["Philadelphia, PA|Philadelphia|PA|US"]),
    ("Phoenix, Arizona", "", ["Phoenix, AZ|Phoenix|AZ|US"]),
    ("Phoenix, Arizona, United States (Preferred)", "", ["Phoenix, AZ|Phoenix|AZ|US"]),
    ("Pittsburgh, PA, USA", "", ["Pittsburgh, PA|Pittsburgh|PA|US"]),
    ("Pittsburgh, PA, United States", "", ["Pittsburgh, PA|Pittsburgh|PA|US"]),
    ("Pleasant Prairie, WI, USA", "", ["Pleasant Prairie, WI|Pleasant Prairie|WI|US"]),
    ("Port Coquitlam, BC, Canada", "", ["Port Coquitlam, BC, Canada|Port Coquitlam|BC|CA"]),
    ("Portland, OR, USA", "", ["Portland, OR|Portland|OR|US"]),
    ("Poughkeepsie", "", ["Poughkeepsie, NY|Poughkeepsie|NY|US"]),
    ("Princeton, New Jersey", "", ["Princeton, NJ|Princeton|NJ|US"]),
    ("Purchase, NY <br> Plano, TX", "", ["Purchase, NY|Purchase|NY|US", "Plano, TX|Plano|TX|US"]),
    ("Québec, Canada", "", ["Quebec, Canada||QC|CA"]),
    ("Raleigh, NC, USA", "", ["Raleigh, NC|Raleigh|NC|US"]),
    ("Redmond, WA, USA", "", ["Redmond, WA|Redmond|WA|US"]),
    ("Redmond, Washington", "", ["Redmond, WA|Redmond|WA|US"]),
    ("Redmond, Washington, USA", "", ["Redmond, WA|Redmond|WA|US"]),
    ("Redwood City, CA, USA", "", ["Redwood City, CA|Redwood City|CA|US"]),
    ("Remote", "remote", ["United States|||US|remote"]),
    ("Remote (U.S.)", "remote", ["United States|||US|remote"]),
    ("Remote - Canada", "remote", ["Canada|||CA|remote"]),
    ("Remote - North America", "remote", ["North America||||remote"]),
    ("Remote - US", "remote", ["United States|||US|remote"]),
    ("Remote Canada", "remote", ["Canada|||CA|remote"]),
    ("Remote Ontario", "remote", ["Ontario, Canada||ON|CA|remote"]),
    ("Remote USA", "remote", ["United States|||US|remote"]),
    ("Remote in Canada", "remote", ["Canada|||CA|remote"]),
    ("Remote in UK", "remote", ["United Kingdom|||GB|remote"]),
    ("Remote in US", "remote", ["United States|||US|remote"]),
    ("Remote in USA", "remote", ["United States|||US|remote"]),
    ("Remote in United States", "remote", ["United States|||US|remote"]),
    ("Remote(US)", "remote", ["United States|||US|remote"]),
    ("Remote, US", "remote", ["United States|||US|remote"]),
    ("Remote, USA", "remote", ["United States|||US|remote"]),
    ("Research Triangle Park", "", ["Research Triangle Park, NC|Research Triangle Park|NC|US"]),
    ("Reston, VA, USA", "", ["Reston, VA|Reston|VA|US"]),
    ("Richardson, Texas", "", ["Richardson, TX|Richardson|TX|US"]),
    ("Richmond, BC, Canada", "", ["Richmond, BC, Canada|Richmond|BC|CA"]),
    ("Rolling Meadows, Illinois", "", ["Rolling Meadows, IL|Rolling Meadows|IL|US"]),
    ("SF", "", ["San Francisco, CA|San Francisco|CA|US"]),
    (
        "SF Austin, TX NYC",
        "",
        [
            "San Francisco, CA|San Francisco|CA|US",
            "Austin, TX|Austin|TX|US",
            "New York, NY|New York|NY|US",
        ],
    ),
    ("San Bruno, CA, USA", "", ["San Bruno, CA|San Bruno|CA|US"]),
    ("San Diego, CA, USA", "", ["San Diego, CA|San Diego|CA|US"]),
    ("San Diego, California", "", ["San Diego, CA|San Diego|CA|US"]),
    ("San Francisco Bay area, California", "", ["Bay Area, CA|Bay Area|CA|US"]),
    ("San Francisco CA", "", ["San Francisco, CA|San Francisco|CA|US"]),
    ("San Francisco, CA, USA", "", ["San Francisco, CA|San Francisco|CA|US"]),
    (
        "San Francisco, California, United States of America",
        "",
        ["San Francisco, CA|San Francisco|CA|US"],
    ),
    ("San Jose", "", ["San Jose, CA|San Jose|CA|US"]),
    ("San Jose US", "", ["San Jose, CA|San Jose|CA|US"]),
    ("San Jose, CA, US", "", ["San Jose, CA|San Jose|CA|US"]),
    ("San Jose, CA, USA", "", ["San Jose, CA|San Jose|CA|US"]),
    ("San Jose, Ca", "", ["San Jose, CA|San Jose|CA|US"]),
    ("San Jose, California", "", ["San Jose, CA|San Jose|CA|US"]),
    ("Santa Cruz, CA, USA", "", ["Santa Cruz, CA|Santa Cruz|CA|US"]),
    ("Santa Monica, California, United States", "", ["Santa Monica, CA|Santa Monica|CA|US"]),
    ("Sault Ste. Marie, ON, Canada", "", ["Sault Ste. Marie, ON, Canada|Sault Ste. Marie|ON|CA"]),
    ("Seattle", "", ["Seattle, WA|Seattle|WA|US"]),
    ("Seattle, WA, USA", "", ["Seattle, WA|Seattle|WA|US"]),
    ("Seattle, Washington, United States", "", ["Seattle, WA|Seattle|WA|US"]),
    ("Seattle, Washington, United States (Preferred)", "", ["Seattle, WA|Seattle|WA|US"]),
    ("Singapore", "", ["Singapore|||SG"]),
    (
        "Sorrento Valley, San Diego, CA",
        "",
        ["Sorrento Valley, San Diego, CA|Sorrento Valley, San Diego|CA|US"],
    ),
    ("South San Francisco, CA, USA", "", ["South San Francisco, CA|South San Francisco|CA|US"]),
    ("Spring, TX, USA", "", ["Spring, TX|Spring|TX|US"]),
    ("Spring, Texas, United States of America", "", ["Spring, TX|Spring|TX|US"]),
    ("St Louis, Missouri", "", ["St Louis, MO|St Louis|MO|US"]),
    ("St. Paul MN", "", ["St. Paul, MN|St. Paul|MN|US"]),
    ("Sunnyvale CA", "", ["Sunnyvale, CA|Sunnyvale|CA|US"]),
    ("Sunnyvale, CA, USA", "", ["Sunnyvale, CA|Sunnyvale|CA|US"]),
    ("Sunnyvale, California", "", ["Sunnyvale, CA|Sunnyvale|CA|US"]),
    ("TX", "", ["Texas||TX|US"]),
    ("Tampa", "", ["Tampa, FL|Tampa|FL|US"]),
    ("Temple Terrace, Florida", "", ["Temple Terrace, FL|Temple Terrace|FL|US"]),
    ("Tennessee", "", ["Tennessee||TN|US"]),
    ("Texas", "", ["Texas||TX|US"]),
    ("Toronto", "", ["Toronto, ON, Canada|Toronto|ON|CA"]),
    ("Toronto, Canada", "", ["Toronto, ON, Canada|Toronto|ON|CA"]),
    ("Toronto, ON, Canada", "", ["Toronto, ON, Canada|Toronto|ON|CA"]),
    (
        "Town of Bristol, Connecticut, United States",
        "",
        ["Town of Bristol, CT|Town of Bristol|CT|US"],
    ),
    ("Twinsburg, Ohio", "", ["Twinsburg, OH|Twinsburg|OH|US"]),
    ("US", "", ["United States|||US"]),
    ("US - Remote", "remote", ["United States|||US|remote"]),
    (
        "US - Remote Heathrow, FL - All locations",
        "remote",
        [
            "United States|||US|remote",
            "Heathrow, FL|Heathrow|FL|US",
            "Multiple US Locations|||US|remote",
        ],
    ),
    ("US, CA, Santa Clara", "", ["Santa Clara, CA|Santa Clara|CA|US"]),
    ("US, Remote", "remote", ["United States|||US|remote"]),
    ("US-IL-Niles", "", ["Niles, IL|Niles|IL|US"]),
    ("USA", "", ["United States|||US"]),
    ("USA, WA, Seattle", "", ["Seattle, WA|Seattle|WA|US"]),
    ("United Kingdom", "", ["United Kingdom|||GB"]),
    ("United States", "", ["United States|||US"]),
    ("United States Remote, United States", "remote", ["United States|||US|remote"]),
    ("Utah", "", ["Utah||UT|US"]),
    ("Vancouver, BC, Canada", "", ["Vancouver, BC, Canada|Vancouver|BC|CA"]),
    ("Vancouver, British Columbia, Canada", "", ["Vancouver, BC, Canada|Vancouver|BC|CA"]),
    ("Vancouver, Canada", "", ["Vancouver, BC, Canada|Vancouver|BC|CA"]),
    ("Vaughan, ON, Canada", "", ["Vaughan, ON, Canada|Vaughan|ON|CA"]),
    ("Victoria, BC, Canada", "", ["Victoria, BC, Canada|Victoria|BC|CA"]),
    ("Virginia", "", ["Virginia||VA|US"]),
    ("Walnut Creek, California", "", ["Walnut Creek, CA|Walnut Creek|CA|US"]),
    ("Washington", "", ["Washington||WA|US"]),
    ("Washington D.C., DC, USA", "", ["Washington, DC|Washington|DC|US"]),
    ("Waukesha, Wisconsin", "", ["Waukesha, WI|Waukesha|WI|US"]),
    ("Wayne, PA Hybrid", "hybrid", ["Wayne, PA|Wayne|PA|US"]),
    ("Winnipeg, MB, Canada", "", ["Winnipeg, MB, Canada|Winnipeg|MB|CA"]),
    ("Wisconsin", "", ["Wisconsin||WI|US"]),
    ("locations Attleboro, Massachusetts", "", ["Attleboro, MA|Attleboro|MA|US"]),
    ("remote", "remote", ["United States|||US|remote"]),
    ("Bellevue, WA", "", ["Bellevue, WA|Bellevue|WA|US"]),
    ("Bowie, MD", "", ["Bowie, MD|Bowie|MD|US"]),
    ("Bristol, UK", "", ["Bristol, United Kingdom|Bristol||GB"]),
    ("Buffalo, NY", "", ["Buffalo, NY|Buffalo|NY|US"]),
    ("Burlington, VT", "", ["Burlington, VT|Burlington|VT|US"]),
    ("Collierville, TN", "", ["Collierville, TN|Collierville|TN|US"]),
    ("Dallas, TX", "", ["Dallas, TX|Dallas|TX|US"]),
    ("Edgewood, NY", "", ["Edgewood, NY|Edgewood|NY|US"]),
    ("Fargo, ND", "", ["Fargo, ND|Fargo|ND|US"]),
    ("Fort Mill, SC", "", ["Fort Mill, SC|Fort Mill|SC|US"]),
    ("Ft. Collins, CO", "", ["Ft. Collins, CO|Ft. Collins|CO|US"]),
    ("Holtsville, NY", "", ["Holtsville, NY|Holtsville|NY|US"]),
    ("Hudson, NH", "", ["Hudson, NH|Hudson|NH|US"]),
    ("Johns Creek, GA", "", ["Johns Creek, GA|Johns Creek|GA|US"]),
    ("Lawrence, KS", "", ["Lawrence, KS|Lawrence|KS|US"]),
    ("Malvern, PA", "", ["Malvern, PA|Malvern|PA|US"]),
    ("Merced, CA", "", ["Merced, CA|Merced|CA|US"]),
    ("Milpitas, CA", "", ["Milpitas, CA|Milpitas|CA|US"]),
    ("Moorpark, CA", "", ["Moorpark, CA|Moorpark|CA|US"]),
    ("Moscow, ID", "", ["Moscow, ID|Moscow|ID|US"]),
    ("Murfreesboro, TN", "", ["Murfreesboro, TN|Murfreesboro|TN|US"]),
    ("Newton, IA", "", ["Newton, IA|Newton|IA|US"]),
    ("Norcross, GA", "", ["Norcross, GA|Norcross|GA|US"]),
    ("North Wales, PA", "", ["North Wales, PA|North Wales|PA|US"]),
    ("Northbrook, IL", "", ["Northbrook, IL|Northbrook|IL|US"]),
    ("Northridge, LA", "", ["Northridge, CA|Northridge|CA|US"]),
    ("Orange, CA", "", ["Orange, CA|Orange|CA|US"]),
    ("Parisppany, NJ", "", ["Parisppany, NJ|Parisppany|NJ|US"]),
    ("Princeton, NJ", "", ["Princeton, NJ|Princeton|NJ|US"]),
    ("Roseau, MN", "", ["Roseau, MN|Roseau|MN|US"]),
    ("Roseville, CA", "", ["Roseville, CA|Roseville|CA|US"]),
    ("San Mateo, CA", "", ["San Mateo, CA|San Mateo|CA|US"]),
    ("Santa Monica, CA", "", ["Santa Monica, CA|Santa Monica|CA|US"]),
    ("Senatobia, MS", "", ["Senatobia, MS|Senatobia|MS|US"]),
    ("Sunnyvale, CA", "", ["Sunnyvale, CA|Sunnyvale|CA|US"]),
    ("Washington DC, US", "", ["Washington, DC|Washington|DC|US"]),
    ("Wauwatosa, WI", "", ["Wauwatosa, WI|Wauwatosa|WI|US"]),
    ("Westlake, TX", "", ["Westlake, TX|Westlake|TX|US"]),
    ("Williamsburg, VA", "", ["Williamsburg, VA|Williamsburg|VA|US"]),
    ("Wilmington, NC", "", ["Wilmington, NC|Wilmington|NC|US"]),
    (
        "SF Remote in USA McLean, VA",
        "remote",
        [
            "San Francisco, CA|San Francisco|CA|US",
            "United States|||US|remote",
            "McLean, VA|McLean|VA|US",
        ],
    ),
    ("NYC Bellevue, WA", "", ["New York, NY|New York|NY|US", "Bellevue, WA|Bellevue|WA|US"]),
    (
        "Albany, NY, Sale Lake City, UT",
        "",
        ["Albany, NY|Albany|NY|US", "Sale Lake City, UT|Sale Lake City|UT|US"],
    ),
    ("Virginia, US", "", ["Virginia||VA|US"]),
    ("Los Angeles, USA", "", ["Los Angeles, CA|Los Angeles|CA|US"]),
    ("Omaha, NB", "", ["Omaha, NE|Omaha|NE|US"]),
    ("Greater Boston Area", "", ["Greater Boston, MA|Greater Boston|MA|US"]),
    ("Bay Area", "", ["Bay Area, CA|Bay Area|CA|US"]),
    ("2 locations", "", ["Multiple US Locations|||US"]),
    ("Virginia Beach, VA", "", ["Virginia Beach, VA|Virginia Beach|VA|US"]),
    ("Kansas City, MO", "", ["Kansas City, MO|Kansas City|MO|US"]),
    ("Ontario, CA", "", ["Ontario, CA|Ontario|CA|US"]),
    ("Indiana, PA", "", ["Indiana, PA|Indiana|PA|US"]),
    ("London, ON", "", ["London, ON, Canada|London|ON|CA"]),
    ("Paris", "", ["Paris, France|Paris||FR"]),
    ("Chicago Metro", "", ["Chicago Area, IL|Chicago Area|IL|US"]),
    ("Hybrid - Boston, MA", "hybrid", ["Boston, MA|Boston|MA|US"]),
    ("Hybrid in Austin, TX", "hybrid", ["Austin, TX|Austin|TX|US"]),
    ("On-site, Denver, CO", "onsite", ["Denver, CO|Denver|CO|US"]),
    ("San Francisco Bay Area", "", ["Bay Area, CA|Bay Area|CA|US"]),
    ("Silicon Valley", "", ["Silicon Valley, CA|Silicon Valley|CA|US"]),
    ("Baton Rouge, LA", "", ["Baton Rouge, LA|Baton Rouge|LA|US"]),
    ("Encino, LA", "", ["Encino, CA|Encino|CA|US"]),
    ("Remote, Canada", "remote", ["Canada|||CA|remote"]),
    ("Multiple Locations, Canada", "", ["Multiple Locations in Canada|||CA"]),
    ("Bangalore, Karnataka, India", "", ["Bangalore, Karnataka, India|Bangalore, Karnataka||IN"]),
]


def _encode(place):
    text = "|".join([place.name, place.city, place.region, place.country])
    return text + ("|remote" if place.remote else "")


@pytest.mark.parametrize(("text", "mode", "places"), TABLE, ids=[row[0][:60] for row in TABLE])
def test_parse_places(text, mode, places):
    parsed = parse_places(text, "US")
    assert [_encode(place) for place in parsed.places] == places
    assert parsed.work_mode == mode


def test_the_table_is_big_enough():
    assert len({row[0] for row in TABLE}) >= 150


@pytest.mark.parametrize("text", [row[0] for row in TABLE], ids=[row[0][:60] for row in TABLE])
def test_each_place_name_parses_back_to_the_same_place(text):
    """The writer stores a place under its name and parses the name again on a
    re-import: a name that read differently would rewrite the posting."""
    for place in parse_places(text, "US").places:
        again = parse_location(place.name)
        assert (again.name, again.city, again.region, again.country) == (
            place.name,
            place.city,
            place.region,
            place.country,
        )


def test_what_cannot_be_placed_is_kept_and_reported():
    parsed = parse_places("Digital Information", "US")
    assert not parsed.parsed
    assert parsed.unparsed == ("Digital Information",)
    assert parsed.places == (Place("Digital Information"),)


def test_a_country_without_a_city_is_marked_city_not_stated():
    assert parse_places("United States").city_not_stated
    assert parse_places("Multiple US Locations").places[0].city_not_stated
    assert not parse_places("California").city_not_stated
    assert not parse_places("Austin, TX").city_not_stated


def test_without_a_default_country_remote_and_multiple_stay_unplaced():
    assert parse_location("Remote") == Place("Remote", remote=True)
    assert parse_location("Multiple Locations") == Place("Multiple Locations")
    assert parse_places("Multiple Locations").parsed


def test_a_mode_word_alone_is_no_place():
    assert parse_location("Hybrid") is None
    assert parse_location("  ") is None
    assert parse_places("Onsite").work_mode == "onsite"


def test_parse_location_reads_one_place_as_before():
    assert parse_location("Toronto, ON, Canada") == Place(
        "Toronto, ON, Canada", "Toronto", "ON", "CA"
    )
    assert parse_location("Remote in USA") == Place("United States", country="US", remote=True)
    assert parse_location("London, UK") == Place("London, United Kingdom", "London", "", "GB")


def test_parse_rate_counts_every_occurrence_and_lists_the_misses():
    rate, missed = parse_rate(["Austin, TX", "Austin, TX", "Digital Information", "Remote"])
    assert rate == 0.75
    assert missed == {"Digital Information": 1}
    assert parse_rate([]) == (1.0, {})


def test_the_gazetteer_comes_from_geonames():
    omaha = gazetteer()["omaha"]
    assert ("US", "NE") in {(country, region) for country, region, *_ in omaha}
    assert {region for country, region, *_ in gazetteer()["toronto"] if country == "CA"} == {"ON"}


def test_place_parse_rate_command_prints_the_rate_and_the_misses(tmp_path):
    import io
    import json

    from django.core.management import call_command

    path = tmp_path / "list.json"
    records = [{"locations": ["NYC Bellevue, WA", "Digital Information"]}, {"locations": ["SF"]}]
    path.write_text(json.dumps(records))
    out = io.StringIO()
    call_command("place_parse_rate", str(path), stdout=out)
    assert "places parsed: 66.67% of 3 location strings (1 not understood)" in out.getvalue()
    assert "'Digital Information'" in out.getvalue()


def test_a_string_longer_than_any_place_is_not_read_word_by_word():
    text = "Austin, TX " * 200
    parsed = parse_places(text)
    assert not parsed.parsed
    assert parsed.places == (Place(text.strip()),)  # the validator refuses it as too long
